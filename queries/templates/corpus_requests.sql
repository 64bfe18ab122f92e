-- templates/corpus_requests: append a synthetic prompt corpus (graphlink.templates.corpus) to requests.
-- inputs: corpus_requests
-- params: none
-- The network fields are one documentation address (198.51.100.7); the
-- ground-truth template goes to extra.truth_template.
INSERT INTO requests (request_id, account_id, ts, ip, ip_version, ip_num, ip_prefix, prompt, extra, source_file, source_row)
SELECT request_id, account_id, ts,
       '198.51.100.7', 4, 3325256711::UHUGEINT, '198.51.100.0/24',
       prompt,
       json_object('truth_template', truth),
       'corpus', NULL
FROM corpus_requests;
