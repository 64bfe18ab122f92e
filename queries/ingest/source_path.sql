-- ingest/source_path: remember the file being ingested, for the views that read it (getvariable('ingest_path')).
-- inputs: none
-- params: $path
SET VARIABLE ingest_path = $path;
