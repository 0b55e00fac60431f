-- A live chat's relay (payload.live: a message of a ticket of channel live, marked
-- by notifications/record.ts) puts its chat in the claim's first lane
-- (delivery_chats.live, server/jobs/outbox/claim-read.ts). An idle chat is
-- registered as before; an active one is only flagged, its due time kept (a post in
-- flight or a full window still decides when it may be sent to). The claim that
-- finds the chat's queue empty takes it out of the lane. Other rows as in 0011.
CREATE OR REPLACE FUNCTION delivery_chat_queued() RETURNS trigger AS $$
BEGIN
  IF (NEW.payload ->> 'live') IS NOT NULL THEN
    INSERT INTO delivery_chats (chat_id, due_at, live) VALUES (NEW.chat_id, NEW.next_attempt_at, true)
    ON CONFLICT (chat_id) DO UPDATE SET live = true,
      due_at = coalesce(delivery_chats.due_at, EXCLUDED.due_at),
      idle_since = CASE WHEN delivery_chats.due_at IS NULL THEN NULL ELSE delivery_chats.idle_since END;
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM delivery_chats WHERE chat_id = NEW.chat_id AND due_at IS NOT NULL) THEN
    RETURN NULL;
  END IF;
  INSERT INTO delivery_chats (chat_id, due_at) VALUES (NEW.chat_id, NEW.next_attempt_at)
  ON CONFLICT (chat_id) DO UPDATE SET due_at = EXCLUDED.due_at, idle_since = NULL
  WHERE delivery_chats.due_at IS NULL;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
