-- templates/tpl_groups: per group of merged signatures: sampled requests, accounts and the mean size of the variable part.
-- inputs: tpl_request_signatures, tpl_sig_group
-- params: none
-- tpl_sig_group(sig, grp, sig_chars) is registered by graphlink.templates;
-- sig_chars is the length of the signature's scaffold text.  slot_chars, the
-- mean number of characters a prompt holds besides its scaffold, tells a
-- template (a scaffold around variable text) from a repeated prompt or a
-- popular question with a greeting.
CREATE OR REPLACE TEMP TABLE tpl_groups AS
SELECT g.grp, count(*) AS n_requests, count(DISTINCT rs.acc) AS n_accounts,
       avg(greatest(rs.plen - g.sig_chars, 0)) AS slot_chars
FROM tpl_request_signatures AS rs
JOIN tpl_sig_group AS g ON g.sig = rs.sig
GROUP BY g.grp;
