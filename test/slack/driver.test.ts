import { describe, expect, it } from 'vitest';
import { createIssueModal } from '../../src/slack/blocks/create-modal.js';
import { CREATE_FIELDS } from '../../src/slack/ids.js';
import { fillViewState } from '../support/slack-driver.js';

/** The driver fills whatever modal the app opened, by label or action_id, as a person would. */
describe('driver: filling a modal', () => {
  const view = createIssueModal({ c: 'C1' }, { title: 'prefilled' }) as unknown as Record<string, unknown>;

  it('fills text, select and user inputs by label, keeping initial values elsewhere', () => {
    const values = fillViewState(view, { Severity: 'high', Assignee: 'U0BOB', Description: 'It broke' });
    expect(values[CREATE_FIELDS.title.block]?.[CREATE_FIELDS.title.action]).toEqual({
      type: 'plain_text_input',
      value: 'prefilled',
    });
    expect(values[CREATE_FIELDS.severity.block]?.[CREATE_FIELDS.severity.action]).toMatchObject({
      type: 'static_select',
      selected_option: { value: 'high' },
    });
    expect(values[CREATE_FIELDS.assignee.block]?.[CREATE_FIELDS.assignee.action]).toEqual({
      type: 'users_select',
      selected_user: 'U0BOB',
    });
    expect(values[CREATE_FIELDS.description.block]?.[CREATE_FIELDS.description.action]).toMatchObject({
      value: 'It broke',
    });
  });

  it('throws on an input the modal does not have, or an option a select does not offer', () => {
    expect(() => fillViewState(view, { 'No such field': 'x' })).toThrow(/no input named No such field/);
    expect(() => fillViewState(view, { Severity: 'catastrophic' })).toThrow(/no option "catastrophic"/);
  });
});
