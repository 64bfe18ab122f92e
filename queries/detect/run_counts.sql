-- detect/run_counts: rows a run wrote to each per-run table.
-- inputs: run_hubs, run_edges, run_links, run_members, run_evidence, run_dense_blocks, run_clusters
-- params: $run_id
SELECT 'run_hubs' AS table_name, count(*) AS n FROM run_hubs WHERE run_id = $run_id
UNION ALL SELECT 'run_edges', count(*) FROM run_edges WHERE run_id = $run_id
UNION ALL SELECT 'run_links', count(*) FROM run_links WHERE run_id = $run_id
UNION ALL SELECT 'run_members', count(*) FROM run_members WHERE run_id = $run_id
UNION ALL SELECT 'run_evidence', count(*) FROM run_evidence WHERE run_id = $run_id
UNION ALL SELECT 'run_dense_blocks', count(*) FROM run_dense_blocks WHERE run_id = $run_id
UNION ALL SELECT 'run_clusters', count(*) FROM run_clusters WHERE run_id = $run_id
ORDER BY table_name;
