-- scoring/drop_feature_tables: drop the temporary feature tables once run_features holds them.
-- inputs: none
-- params: none
DROP TABLE IF EXISTS cluster_members;
DROP TABLE IF EXISTS member_requests;
DROP TABLE IF EXISTS feat_volume;
DROP TABLE IF EXISTS feat_prompts;
DROP TABLE IF EXISTS feat_clock;
DROP TABLE IF EXISTS feat_lockstep;
DROP TABLE IF EXISTS feat_signup;
DROP TABLE IF EXISTS feat_payment;
DROP TABLE IF EXISTS feat_network;
DROP TABLE IF EXISTS feat_links;
