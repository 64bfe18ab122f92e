-- templates/tpl_written: what a mining wrote: templates by source, hubs, templated requests.
-- inputs: templates, request_templates
-- params: none
SELECT (SELECT count(*) FROM templates WHERE source = 'mined') AS mined,
       (SELECT count(*) FROM templates WHERE source = 'upstream') AS upstream,
       (SELECT count(*) FROM templates WHERE is_hub) AS hubs,
       (SELECT count(*) FROM request_templates) AS templated_requests;
