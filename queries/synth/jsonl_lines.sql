-- synth/jsonl_lines: one JSON object per row of a chunk the generator registered, for JSON Lines files.
-- inputs: synth_chunk (a registered pyarrow table)
-- params: none
-- Keys follow the chunk's column order; NULL values are written as null.
SELECT to_json(r) AS line
FROM synth_chunk AS r
