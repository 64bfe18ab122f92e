-- evaluate/labels_from_db: the labels table as the labels source of an evaluation (group id / kind from its extra columns).
-- inputs: labels
-- params: none
CREATE OR REPLACE TEMP VIEW labels_source AS
SELECT account_id, label, campaign_id,
       extra ->> 'group_id' AS group_id,
       extra ->> 'group_kind' AS group_kind,
       labeled_at
FROM labels
