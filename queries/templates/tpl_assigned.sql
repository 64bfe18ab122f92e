-- templates/tpl_assigned: the mined template of each prompt, through its scaffold signature.
-- inputs: tpl_request_signatures, tpl_sig_template
-- params: none
-- tpl_sig_template(sig, template_id) is registered by graphlink.templates.
CREATE OR REPLACE TEMP TABLE tpl_assigned AS
SELECT rs.rid, rs.acc, st.template_id
FROM tpl_request_signatures AS rs
JOIN tpl_sig_template AS st ON st.sig = rs.sig;
