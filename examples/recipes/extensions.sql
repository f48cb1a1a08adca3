-- Extensions the recipes application expects (seeds 001/003/004 check for
-- them). Kept apart from schema.sql so that a test can load the schema without
-- one of them and watch a preflight say NO-GO. schema.sql and data.sql do not
-- depend on any of them; the runbooks do (idx_recipe_*_trgm needs pg_trgm).
--
--   psql -v ON_ERROR_STOP=1 -f extensions.sql
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
