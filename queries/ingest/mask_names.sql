-- ingest/mask_names: column names (or any texts) with card-like numbers masked, in order.
-- inputs: none
-- params: $names
SELECT list_transform($names, lambda n: card_mask(n)) AS masked;
