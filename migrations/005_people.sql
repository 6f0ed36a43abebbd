-- People: the audit trigger leaves password hashes out, so a password change needs a column of
-- its own to be seen in the audit log; invite links are writes worth recording too.

-- When the user last chose a password (through an invite link or on their account page).
ALTER TABLE users ADD COLUMN password_changed_at timestamptz;

-- A new invite link, and its use, in the audit log; the token's hash stays out.
CREATE TRIGGER user_setup_tokens_audit AFTER INSERT OR UPDATE OR DELETE ON user_setup_tokens
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('user_id', 'token_hash');
