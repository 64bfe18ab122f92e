-- communities/graph_dense_blocks: the accounts of each dense block with its canonical id, rank and density.
-- inputs: graph_accounts, dense_block_input (aid, rank, density, n_identifiers: registered by graphlink.denseblock)
-- params: none
-- block_id = 'D-' || the smallest account_id of the block (blocks share no account).
CREATE OR REPLACE TEMP TABLE graph_dense_blocks AS
WITH b AS (
    SELECT d.aid, a.account_id, d.rank, d.density, d.n_identifiers
    FROM dense_block_input AS d
    JOIN graph_accounts AS a ON a.aid = d.aid
)
SELECT aid, account_id,
       'D-' || min(account_id) OVER (PARTITION BY rank) AS block_id,
       rank, density,
       count(*) OVER (PARTITION BY rank) AS n_accounts,
       n_identifiers
FROM b;
