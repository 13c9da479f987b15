import { z } from 'zod';
import { newId } from '../ids.js';
import { AI_ROLES, type AiConversation, type AiMessage } from '../schemas.js';
import type { Db } from '../sqlite.js';
import { prepared } from '../statements.js';
import { toSqliteTimestamp } from '../time.js';

const NewConversationSchema = z.object({
  issue_id: z.string().min(1),
  provider: z.string().min(1).max(50),
  model: z.string().min(1).max(200),
  title: z.string().max(200).nullish(),
});
const NewMessageSchema = z.object({
  conversation_id: z.string().min(1),
  role: z.enum(AI_ROLES),
  content: z.string(),
  token_count: z.number().int().nonnegative().default(0),
});

/** ai_conversations and ai_messages: a conversation only exists with its messages, so one repository serves both. */
export class AiRepo {
  constructor(private readonly db: Db) {}

  createConversation(input: z.input<typeof NewConversationSchema>, now: Date = new Date()): AiConversation {
    const data = NewConversationSchema.parse(input);
    const row: AiConversation = {
      id: newId(),
      issue_id: data.issue_id,
      provider: data.provider,
      model: data.model,
      created_at: toSqliteTimestamp(now),
      title: data.title ?? null,
    };
    prepared(
      this.db,
      `INSERT INTO ai_conversations (id, issue_id, provider, model, created_at, title)
         VALUES (@id, @issue_id, @provider, @model, @created_at, @title)`,
    ).run(row);
    return row;
  }

  addMessage(input: z.input<typeof NewMessageSchema>, now: Date = new Date()): AiMessage {
    const data = NewMessageSchema.parse(input);
    const row: AiMessage = { id: newId(), ...data, created_at: toSqliteTimestamp(now) };
    prepared(
      this.db,
      `INSERT INTO ai_messages (id, conversation_id, role, content, token_count, created_at)
         VALUES (@id, @conversation_id, @role, @content, @token_count, @created_at)`,
    ).run(row);
    return row;
  }

  listConversations(issueId: string): AiConversation[] {
    return prepared(this.db, 'SELECT * FROM ai_conversations WHERE issue_id = ? ORDER BY created_at, id').all(
      issueId,
    ) as AiConversation[];
  }

  listMessages(conversationId: string): AiMessage[] {
    return prepared(this.db, 'SELECT * FROM ai_messages WHERE conversation_id = ? ORDER BY created_at, id').all(
      conversationId,
    ) as AiMessage[];
  }
}
