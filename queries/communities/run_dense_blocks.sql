-- communities/run_dense_blocks: record the dense blocks of the run and their accounts.
-- inputs: graph_dense_blocks
-- params: $run_id
INSERT INTO run_dense_blocks
SELECT $run_id, block_id, account_id, rank, density, n_accounts, n_identifiers
FROM graph_dense_blocks
ORDER BY rank, account_id;
