{
  "targets": [
    {
      "target_name": "tftsr_redact",
      "sources": [
        "native/redact/addon.c",
        "native/redact/engine.c",
        "native/redact/rules.c",
        "native/redact/validators.c"
      ],
      "libraries": ["-lpcre2-8"],
      "cflags": ["-O2", "-std=gnu11", "-Wall", "-Wextra", "-fno-strict-aliasing"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
