-- evaluate/eval_labels: one truth per labelled account: positive or not, campaign, style, benign group, truth class.
-- inputs: labels_source
-- params: $positive_labels
-- labels_source is the labels table (evaluate/labels_from_db) or a labels
-- file registered under that name; empty text is no value.  An account
-- labelled twice keeps its latest label.  style: group_kind when given, else
-- the campaign id without a trailing number (camp-loadbal-07 -> camp-loadbal).  truth_class, the
-- partition clusters are compared with: the campaign of a positive account,
-- the group of a grouped benign account, else the account alone.
CREATE OR REPLACE TEMP TABLE eval_labels AS
WITH source AS (
    SELECT nullif(trim(CAST(account_id AS VARCHAR)), '') AS account_id,
           nullif(trim(CAST(label AS VARCHAR)), '') AS label,
           nullif(trim(CAST(campaign_id AS VARCHAR)), '') AS campaign_id,
           nullif(trim(CAST(group_id AS VARCHAR)), '') AS group_id,
           nullif(trim(CAST(group_kind AS VARCHAR)), '') AS group_kind,
           coalesce(TRY_CAST(labeled_at AS TIMESTAMP), TIMESTAMP '1970-01-01') AS labeled_at
    FROM labels_source
),
latest AS (
    SELECT account_id,
           arg_max(lower(label), labeled_at) AS label,
           arg_max(campaign_id, labeled_at) AS campaign_id,
           arg_max(group_id, labeled_at) AS group_id,
           arg_max(group_kind, labeled_at) AS group_kind
    FROM source
    WHERE account_id IS NOT NULL AND label IS NOT NULL
    GROUP BY 1
)
SELECT
    account_id,
    label,
    list_contains($positive_labels, label) AS positive,
    CASE WHEN list_contains($positive_labels, label) THEN campaign_id END AS campaign_id,
    CASE WHEN list_contains($positive_labels, label)
         THEN coalesce(group_kind, regexp_replace(campaign_id, '-[0-9]+$', ''), label) END AS style,
    CASE WHEN NOT list_contains($positive_labels, label) THEN group_id END AS group_id,
    CASE WHEN NOT list_contains($positive_labels, label) THEN coalesce(group_kind, label) END AS group_kind,
    CASE WHEN list_contains($positive_labels, label) AND campaign_id IS NOT NULL THEN 'campaign:' || campaign_id
         WHEN NOT list_contains($positive_labels, label) AND group_id IS NOT NULL THEN 'group:' || group_id
         ELSE 'account:' || account_id END AS truth_class
FROM latest
