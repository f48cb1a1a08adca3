-- Users application: deterministic demo data, with problems planted on demand.
--
--   psql -v scale=1000 -v plant=orphans,audit_table -f data.sql
--
-- Variables (all optional):
--   scale   number of users (default 1000); with N = scale:
--             users N, dashboard_widgets 3N, user_sessions 2N, user_preferences 4N,
--             api_keys max(1,N/2), error_logs 5N (1 in 5 with user_id NULL),
--             audit_events 5N (1 in 10 with user_id NULL),
--             migration_rollback_audit 20 (only with plant=audit_table; 1 in 4 NULL)
--   plant   comma-separated (default none):
--             orphans      user_ids that match no user: dashboard_widgets 5,
--                          user_sessions 3, user_preferences 4, api_keys 2 (required
--                          FKs: to delete), error_logs 12, audit_events 7 (optional
--                          FKs: to set NULL), and migration_rollback_audit 2 when
--                          that table is planted too. Existing rows are changed:
--                          row counts do not move.
--             audit_table  create migration_rollback_audit (migration 024a), which
--                          the v25a runbook must handle being absent
--             existing_fk  user_sessions_user_id_fkey already exists (a previous,
--                          partial run): the runbook must skip it. Cannot be
--                          combined with orphans.
--   schema  load into this schema instead of public (as for schema.sql)
--
-- Without plants every user_id is NULL or an existing users.user_id. Ids are
-- text ('usr_0000001'); timestamps are fixed (2024), never now().

\set ON_ERROR_STOP on
\set QUIET on
\if :{?scale}
\else
\set scale 1000
\endif
\if :{?plant}
\else
\set plant ''
\endif
\if :{?schema}
SET search_path = :"schema", public;
\endif

SELECT set_config('examples.scale', :'scale', false) AS _s,
       set_config('examples.plant', replace(:'plant', ' ', ''), false) AS _p \gset
DO $$
DECLARE
  s text := current_setting('examples.scale');
  p text[] := string_to_array(current_setting('examples.plant'), ',');
  bad text;
BEGIN
  IF s !~ '^[1-9][0-9]{0,6}$' THEN
    RAISE EXCEPTION 'data.sql: scale must be an integer from 1 to 9999999, got "%"', s;
  END IF;
  SELECT string_agg(x, ', ') INTO bad FROM unnest(p) AS x
   WHERE x <> '' AND x NOT IN ('orphans', 'audit_table', 'existing_fk');
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'data.sql: unknown plant(s): % (known: orphans, audit_table, existing_fk)', bad;
  END IF;
  IF p @> ARRAY['orphans', 'existing_fk'] THEN
    RAISE EXCEPTION 'data.sql: plants orphans and existing_fk cannot be combined (the FK would reject the orphans)';
  END IF;
END $$;

SELECT n AS nr_users,
       'orphans' = ANY (p) AS plant_orphans,
       'audit_table' = ANY (p) AS plant_audit_table,
       'existing_fk' = ANY (p) AS plant_existing_fk
  FROM (SELECT current_setting('examples.scale')::int AS n,
               string_to_array(current_setting('examples.plant'), ',') AS p) AS v \gset

BEGIN;

INSERT INTO users (user_id, email, display_name, status, created_at, last_login_at)
SELECT 'usr_' || lpad(u::text, 7, '0'),
       'user' || u || '@example.com',
       (ARRAY['Ada','Ben','Chloe','Dev','Elif','Femi','Greta','Hugo','Ines','Jun'])[1 + u % 10]
         || ' ' || (ARRAY['Baker','Miller','Santos','Novak','Okafor','Larsen','Kim'])[1 + u % 7],
       CASE WHEN u % 23 = 0 THEN 'suspended' ELSE 'active' END,
       timestamptz '2023-01-01 00:00:00+00' + u * interval '17 minutes',
       CASE WHEN u % 6 <> 0 THEN timestamptz '2024-06-01 00:00:00+00' + u * interval '3 minutes' END
  FROM generate_series(1, :nr_users) AS u;

-- widget w of user u: id 3(u-1)+w+1
INSERT INTO dashboard_widgets (id, user_id, widget_type, position, config, created_at)
SELECT 3 * (u - 1) + w + 1,
       'usr_' || lpad(u::text, 7, '0'),
       (ARRAY['sales_chart','recent_orders','low_stock','calendar','kpi'])[1 + (u + w) % 5],
       w,
       jsonb_build_object('size', (ARRAY['small','medium','large'])[1 + (u + w) % 3]),
       timestamptz '2023-02-01 00:00:00+00' + u * interval '17 minutes' + w * interval '1 minute'
  FROM generate_series(1, :nr_users) AS u, generate_series(0, 2) AS w;

INSERT INTO user_sessions (session_id, user_id, user_agent, created_at, expires_at)
SELECT 'ses_' || lpad(u::text, 7, '0') || '_' || s,
       'usr_' || lpad(u::text, 7, '0'),
       (ARRAY['Mozilla/5.0 (X11; Linux x86_64)','Mozilla/5.0 (iPhone)','okhttp/4.12'])[1 + (u + s) % 3],
       timestamptz '2024-06-01 00:00:00+00' + u * interval '3 minutes' + s * interval '1 day',
       timestamptz '2024-06-01 00:00:00+00' + u * interval '3 minutes' + (s + 30) * interval '1 day'
  FROM generate_series(1, :nr_users) AS u, generate_series(0, 1) AS s;

INSERT INTO user_preferences (user_id, pref_key, pref_value, updated_at)
SELECT 'usr_' || lpad(u::text, 7, '0'),
       (ARRAY['theme','locale','timezone','digest'])[k + 1],
       CASE k WHEN 0 THEN (ARRAY['light','dark'])[1 + u % 2]
              WHEN 1 THEN (ARRAY['en','de','fr','es'])[1 + u % 4]
              WHEN 2 THEN (ARRAY['UTC','Europe/Berlin','America/New_York'])[1 + u % 3]
              ELSE (ARRAY['daily','weekly','never'])[1 + u % 3] END,
       timestamptz '2024-03-01 00:00:00+00' + u * interval '5 minutes'
  FROM generate_series(1, :nr_users) AS u, generate_series(0, 3) AS k;

-- api key i belongs to user 2i-1
INSERT INTO api_keys (id, user_id, name, key_prefix, created_at, revoked_at)
SELECT i,
       'usr_' || lpad((2 * i - 1)::text, 7, '0'),
       (ARRAY['CI','Zapier','POS terminal','Reporting'])[1 + i % 4],
       'rk_' || substr(md5('api-key-' || i), 1, 12),
       timestamptz '2024-02-01 00:00:00+00' + i * interval '41 minutes',
       CASE WHEN i % 9 = 0 THEN timestamptz '2024-09-01 00:00:00+00' + i * interval '1 minute' END
  FROM generate_series(1, greatest(1, :nr_users / 2)) AS i;

INSERT INTO error_logs (id, user_id, level, message, context, created_at)
SELECT e,
       CASE WHEN e % 5 = 0 THEN NULL ELSE 'usr_' || lpad((1 + (e * 7) % :nr_users)::text, 7, '0') END,
       (ARRAY['warning','error','error','fatal'])[1 + e % 4],
       (ARRAY['timeout talking to payment provider','validation failed: quantity',
              'null reference in recipe costing','rate limit exceeded'])[1 + e % 4],
       jsonb_build_object('request_id', 'req-' || e),
       timestamptz '2024-01-01 00:00:00+00' + (e::bigint * 31536 / (5 * :nr_users)) * interval '1000 seconds'
  FROM generate_series(1, 5 * :nr_users) AS e;

INSERT INTO audit_events (id, user_id, action, target, created_at)
SELECT a,
       CASE WHEN a % 10 = 0 THEN NULL ELSE 'usr_' || lpad((1 + (a * 3) % :nr_users)::text, 7, '0') END,
       (ARRAY['login','logout','update_recipe','export','invite_user'])[1 + a % 5],
       CASE WHEN a % 5 IN (2, 4) THEN 'obj_' || (a % 997) END,
       timestamptz '2024-01-01 00:00:00+00' + (a::bigint * 31536 / (5 * :nr_users)) * interval '1000 seconds'
  FROM generate_series(1, 5 * :nr_users) AS a;

SELECT setval(pg_get_serial_sequence('dashboard_widgets', 'id'), (SELECT max(id) FROM dashboard_widgets)) AS _1,
       setval(pg_get_serial_sequence('api_keys', 'id'), (SELECT max(id) FROM api_keys)) AS _2,
       setval(pg_get_serial_sequence('error_logs', 'id'), (SELECT max(id) FROM error_logs)) AS _3,
       setval(pg_get_serial_sequence('audit_events', 'id'), (SELECT max(id) FROM audit_events)) AS _4 \gset

\if :plant_audit_table
-- migration 024a_create_migration_rollback_audit.up.sql
CREATE TABLE migration_rollback_audit (
    id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    migration    text NOT NULL,
    initiated_by text,                    -- refers to users(user_id); NULL: automation
    reason       text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO migration_rollback_audit (id, migration, initiated_by, reason, created_at)
SELECT i,
       (ARRAY['019_add_widgets','021_error_context','023_api_keys'])[1 + i % 3],
       CASE WHEN i % 4 = 0 THEN NULL ELSE 'usr_' || lpad((1 + (i * 13) % :nr_users)::text, 7, '0') END,
       'rollback drill ' || i,
       timestamptz '2024-04-01 00:00:00+00' + i * interval '1 day'
  FROM generate_series(1, 20) AS i;
SELECT setval(pg_get_serial_sequence('migration_rollback_audit', 'id'), 20) AS _5 \gset
\endif

\if :plant_orphans
-- user_ids that match no user; picked from the end of each table
UPDATE dashboard_widgets SET user_id = 'usr_deleted_w' || o.n
  FROM (SELECT id, row_number() OVER (ORDER BY id DESC) AS n FROM dashboard_widgets ORDER BY id DESC LIMIT 5) AS o
 WHERE dashboard_widgets.id = o.id;
UPDATE user_sessions SET user_id = 'usr_deleted_s' || o.n
  FROM (SELECT session_id, row_number() OVER (ORDER BY session_id DESC) AS n
          FROM user_sessions ORDER BY session_id DESC LIMIT 3) AS o
 WHERE user_sessions.session_id = o.session_id;
UPDATE user_preferences SET user_id = 'usr_deleted_p' || o.n
  FROM (SELECT user_id, pref_key, row_number() OVER (ORDER BY user_id DESC, pref_key) AS n
          FROM user_preferences ORDER BY user_id DESC, pref_key LIMIT 4) AS o
 WHERE user_preferences.user_id = o.user_id AND user_preferences.pref_key = o.pref_key;
UPDATE api_keys SET user_id = 'usr_deleted_k' || o.n
  FROM (SELECT id, row_number() OVER (ORDER BY id DESC) AS n FROM api_keys ORDER BY id DESC LIMIT 2) AS o
 WHERE api_keys.id = o.id;
UPDATE error_logs SET user_id = 'usr_deleted_e' || (o.n % 4)
  FROM (SELECT id, row_number() OVER (ORDER BY id DESC) AS n
          FROM error_logs WHERE user_id IS NOT NULL ORDER BY id DESC LIMIT 12) AS o
 WHERE error_logs.id = o.id;
UPDATE audit_events SET user_id = 'usr_deleted_a' || (o.n % 3)
  FROM (SELECT id, row_number() OVER (ORDER BY id DESC) AS n
          FROM audit_events WHERE user_id IS NOT NULL ORDER BY id DESC LIMIT 7) AS o
 WHERE audit_events.id = o.id;
\if :plant_audit_table
UPDATE migration_rollback_audit SET initiated_by = 'usr_deleted_r' || o.n
  FROM (SELECT id, row_number() OVER (ORDER BY id DESC) AS n
          FROM migration_rollback_audit WHERE initiated_by IS NOT NULL ORDER BY id DESC LIMIT 2) AS o
 WHERE migration_rollback_audit.id = o.id;
\endif
\endif

\if :plant_existing_fk
ALTER TABLE user_sessions ADD CONSTRAINT user_sessions_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE;
\endif

COMMIT;
ANALYZE;
