-- templates/tpl_clear: empty the template tables before a new mining writes them.
-- inputs: templates, request_templates, template_state
-- params: none
DELETE FROM templates;
DELETE FROM request_templates;
DELETE FROM template_state;
