-- templates/tpl_clear: empty the template tables before a new mining writes them.
-- inputs: templates, request_templates, request_flags, template_state
-- params: none
DELETE FROM templates;
DELETE FROM request_templates;
DELETE FROM request_flags;
DELETE FROM template_state;
