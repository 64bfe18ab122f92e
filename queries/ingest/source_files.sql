-- ingest/source_files: remember the files being ingested together, for the views and macros that read them (getvariable('ingest_files')).
-- inputs: none
-- params: $paths, $names, $offsets
-- paths: where to read them; names: what rows and rejects record as their
-- file; offsets: how many rows the files before each one hold (0 for the
-- first), so that row r of file i is row offsets[i] + r of the whole.
SET VARIABLE ingest_files = {'paths': $paths::VARCHAR[], 'names': $names::VARCHAR[], 'offsets': $offsets::BIGINT[]};
