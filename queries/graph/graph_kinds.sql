-- graph/graph_kinds: the enabled identifier kinds with their weight multiplier and hub cap (config.graph.kinds).
-- inputs: none
-- params: $kinds, $weights, $hub_caps, $aparts
CREATE OR REPLACE TEMP TABLE graph_kinds AS
SELECT
    unnest($kinds::VARCHAR[]) AS kind,
    unnest($weights::DOUBLE[]) AS weight,
    unnest($hub_caps::BIGINT[]) AS hub_cap,
    unnest($aparts::DOUBLE[]) AS apart;
