-- An existing register starts its head at its last audit row (or the genesis hash when the log is empty).
INSERT INTO audit_head (id, last_id, last_hash)
SELECT 1, coalesce((SELECT max(id) FROM audit_log), 0),
  coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000');
--> statement-breakpoint
-- Nobody removes the head, and it only moves forward: a rewound head would fork the chain.
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
  SELECT RAISE(ABORT, 'audit_head cannot be removed');
END;
--> statement-breakpoint
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
WHEN NEW.last_id <= OLD.last_id
BEGIN
  SELECT RAISE(ABORT, 'audit_head only moves forward');
END;
