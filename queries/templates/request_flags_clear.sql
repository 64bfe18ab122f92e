-- templates/request_flags_clear: empty request_flags before it is rewritten.
-- inputs: request_flags
-- params: none
DELETE FROM request_flags;
