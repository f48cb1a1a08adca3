#!/usr/bin/env bash
# The example applications (examples/recipes, examples/users): load them clean
# and with each planted problem, and check the facts the runbooks rely on —
# row counts follow `scale`, clean data breaks none of the constraints the seed
# migrations add (and those constraints really are absent), each plant breaks
# exactly what it says, and the seed migrations apply on clean data.
source "$(dirname "$0")/lib.sh"
require_cluster

# ---------------------------------------------------------------------------
# Recipes: queries

# name -> SQL counting the rows that would break one of the seed constraints
declare -A RQ=(
  [item_no_recipe]='SELECT count(*) FROM "RecipeItem" ri WHERE NOT EXISTS (SELECT FROM "Recipe" r WHERE r.id = ri."recipeId")'
  [item_no_ingredient]='SELECT count(*) FROM "RecipeItem" ri WHERE NOT EXISTS (SELECT FROM "Ingredient" i WHERE i.id = ri."ingredientId")'
  [section_no_recipe]='SELECT count(*) FROM "RecipeSection" s WHERE NOT EXISTS (SELECT FROM "Recipe" r WHERE r.id = s."recipeId")'
  [plan_no_user]='SELECT count(*) FROM "ProductionPlan" p WHERE NOT EXISTS (SELECT FROM "User" u WHERE u.id = p."createdBy")'
  [task_no_user]='SELECT count(*) FROM "ProductionTask" t WHERE t."assignedTo" IS NOT NULL AND NOT EXISTS (SELECT FROM "User" u WHERE u.id = t."assignedTo")'
  [movement_no_user]='SELECT count(*) FROM "InventoryMovement" m WHERE m."createdBy" IS NOT NULL AND NOT EXISTS (SELECT FROM "User" u WHERE u.id = m."createdBy")'
  [company_no_owner]='SELECT count(*) FROM "Company" c WHERE NOT EXISTS (SELECT FROM "User" u WHERE u.id = c."ownerId")'
  [item_dup_pairs]='SELECT count(*) FROM (SELECT 1 FROM "RecipeItem" GROUP BY "recipeId", "ingredientId" HAVING count(*) > 1) d'
  [section_dup_pairs]='SELECT count(*) FROM (SELECT 1 FROM "RecipeSection" GROUP BY "recipeId", "order" HAVING count(*) > 1) d'
  [recipe_negative_price]='SELECT count(*) FROM "Recipe" WHERE "sellingPrice" < 0'
  [ingredient_negative_price]='SELECT count(*) FROM "Ingredient" WHERE "packPrice" < 0'
  [recipe_nonpositive_yield]='SELECT count(*) FROM "Recipe" WHERE "yieldQuantity" <= 0'
  [item_nonpositive_quantity]='SELECT count(*) FROM "RecipeItem" WHERE quantity <= 0'
  [unmapped_category]='SELECT count(*) FROM "Recipe" r WHERE r.category IS NOT NULL AND r.category <> '"''"' AND NOT EXISTS (SELECT FROM "Category" c WHERE c."companyId" = r."companyId" AND c.name = r.category)'
  [invalid_indexes]='SELECT count(*) FROM pg_index WHERE NOT indisvalid OR NOT indisready'
)
RQ_ORDER=(item_no_recipe item_no_ingredient section_no_recipe plan_no_user task_no_user
          movement_no_user company_no_owner item_dup_pairs section_dup_pairs
          recipe_negative_price ingredient_negative_price recipe_nonpositive_yield
          item_nonpositive_quantity unmapped_category invalid_indexes)

RECIPE_TABLES=(Company User Membership Category Ingredient Recipe RecipeItem RecipeSection
               ProductionPlan ProductionTask InventoryMovement SalesRecord ProductionHistory
               Notification WholesaleOrder)

# problem counts "name=value ..." for the loaded database
recipe_problems() {
  local sql="SELECT concat_ws(' '" k
  for k in "${RQ_ORDER[@]}"; do sql+=", '$k=' || (${RQ[$k]})"; done
  psql_value "$sql)"
}

# expected row counts of the recipes tables for scale R, "Table=count ..."
recipe_expected_counts() {
  local R=$1 C items=0 sections=0 r plans orders
  C=$(( R / 100 )); (( C < 2 )) && C=$(( R < 2 ? R : 2 ))
  for ((r = 1; r <= R; r++)); do items=$((items + 4 + r % 9)); sections=$((sections + 1 + r % 3)); done
  plans=$(( R / 10 > 1 ? R / 10 : 1 )); orders=$(( R / 5 > 1 ? R / 5 : 1 ))
  echo "Company=$C User=$((5 * C)) Membership=$((5 * C)) Category=$((8 * C)) Ingredient=$((40 * C))" \
       "Recipe=$R RecipeItem=$items RecipeSection=$sections ProductionPlan=$plans" \
       "ProductionTask=$((5 * plans)) InventoryMovement=$((2 * R)) SalesRecord=$((4 * R))" \
       "ProductionHistory=$((2 * R)) Notification=$((2 * R)) WholesaleOrder=$orders"
}

recipe_counts() {  # "Table=count ..." for the tables that exist, in RECIPE_TABLES order
  local list
  list=$(printf "'%s'," "${RECIPE_TABLES[@]}")
  psql_value "SELECT string_agg(t || '=' || (xpath('/row/c/text()',
                query_to_xml(format('SELECT count(*) AS c FROM %I', t), false, true, '')))[1]::text, ' ' ORDER BY o)
              FROM unnest(ARRAY[${list%,}]) WITH ORDINALITY AS u(t, o) WHERE to_regclass(quote_ident(t)) IS NOT NULL"
}

# a fingerprint of the data, to check that loads are deterministic
recipe_fingerprint() {
  psql_value "SELECT md5(string_agg(x, '|')) FROM (
      (SELECT md5(string_agg(t::text, ',' ORDER BY id)) AS x FROM \"Recipe\" t)
      UNION ALL (SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM \"RecipeItem\" t)
      UNION ALL (SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM \"SalesRecord\" t)
      UNION ALL (SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM \"ProductionTask\" t)) s"
}

# The objects the seed migrations add must not be there yet.
SEED_CONSTRAINTS="'RecipeItem_recipeId_ingredientId_key','RecipeSection_recipeId_order_key',
  'Company_ownerId_fkey','ProductionPlan_createdBy_fkey','ProductionTask_assignedTo_fkey',
  'InventoryMovement_createdBy_fkey','recipe_selling_price_positive','ingredient_pack_price_positive',
  'recipe_yield_quantity_positive','recipe_item_quantity_positive','recipe_category_consistency_check'"
SEED_INDEXES="'idx_recipe_name_trgm','idx_recipe_description_trgm','idx_recipe_method_trgm',
  'idx_recipe_list_covering','idx_sales_record_analytics','idx_production_history_company_date_recipe',
  'idx_inventory_movement_history','idx_notification_unread','idx_wholesale_order_status_date'"

# The seed 001 migrations, in plain SQL (what the ported runbooks will do).
SEED_UNIQUES='
ALTER TABLE "RecipeItem" ADD CONSTRAINT "RecipeItem_recipeId_ingredientId_key" UNIQUE ("recipeId", "ingredientId");
ALTER TABLE "RecipeSection" ADD CONSTRAINT "RecipeSection_recipeId_order_key" UNIQUE ("recipeId", "order");'
SEED_FKS='
ALTER TABLE "Company" ADD CONSTRAINT "Company_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"(id) NOT VALID;
ALTER TABLE "Company" VALIDATE CONSTRAINT "Company_ownerId_fkey";
ALTER TABLE "ProductionPlan" ADD CONSTRAINT "ProductionPlan_createdBy_fkey" FOREIGN KEY ("createdBy") REFERENCES "User"(id) NOT VALID;
ALTER TABLE "ProductionPlan" VALIDATE CONSTRAINT "ProductionPlan_createdBy_fkey";
ALTER TABLE "ProductionTask" ADD CONSTRAINT "ProductionTask_assignedTo_fkey" FOREIGN KEY ("assignedTo") REFERENCES "User"(id) NOT VALID;
ALTER TABLE "ProductionTask" VALIDATE CONSTRAINT "ProductionTask_assignedTo_fkey";
ALTER TABLE "InventoryMovement" ADD CONSTRAINT "InventoryMovement_createdBy_fkey" FOREIGN KEY ("createdBy") REFERENCES "User"(id) NOT VALID;
ALTER TABLE "InventoryMovement" VALIDATE CONSTRAINT "InventoryMovement_createdBy_fkey";'
SEED_CHECKS='
ALTER TABLE "Recipe" ADD CONSTRAINT recipe_selling_price_positive CHECK ("sellingPrice" IS NULL OR "sellingPrice" >= 0);
ALTER TABLE "Ingredient" ADD CONSTRAINT ingredient_pack_price_positive CHECK ("packPrice" >= 0);
ALTER TABLE "Recipe" ADD CONSTRAINT recipe_yield_quantity_positive CHECK ("yieldQuantity" > 0);
ALTER TABLE "RecipeItem" ADD CONSTRAINT recipe_item_quantity_positive CHECK (quantity > 0);'
SEED_INDEX_SQL='
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_recipe_name_trgm ON "Recipe" USING gin (name gin_trgm_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_recipe_description_trgm ON "Recipe" USING gin (description gin_trgm_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_recipe_method_trgm ON "Recipe" USING gin (method gin_trgm_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_recipe_list_covering ON "Recipe" ("companyId", "updatedAt" DESC) INCLUDE (name, category, "sellingPrice");
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_sales_record_analytics ON "SalesRecord" ("companyId", "saleDate", "recipeId") INCLUDE (quantity, "totalAmount");
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_production_history_company_date_recipe ON "ProductionHistory" ("companyId", "productionDate", "recipeId");
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_inventory_movement_history ON "InventoryMovement" ("companyId", "ingredientId", "createdAt" DESC);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_notification_unread ON "Notification" ("userId", "createdAt" DESC) WHERE NOT "isRead";
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_wholesale_order_status_date ON "WholesaleOrder" (status, "orderDate");'
SEED_BACKFILL='
UPDATE "Recipe" r SET "categoryId" = c.id FROM "Category" c
 WHERE r."categoryId" IS NULL AND r.category IS NOT NULL AND r.category <> '"''"'
   AND c."companyId" = r."companyId" AND c.name = r.category;'
SEED_UNMAPPED='SELECT count(*) FROM "Recipe" WHERE category IS NOT NULL AND category <> '"''"' AND "categoryId" IS NULL'

ALL_CLEAN="item_no_recipe=0 item_no_ingredient=0 section_no_recipe=0 plan_no_user=0 task_no_user=0 movement_no_user=0 company_no_owner=0 item_dup_pairs=0 section_dup_pairs=0 recipe_negative_price=0 ingredient_negative_price=0 recipe_nonpositive_yield=0 item_nonpositive_quantity=0 unmapped_category=0 invalid_indexes=0"

# expected problem counts: the clean line with some entries replaced
with_problems() {
  local line=" $ALL_CLEAN " kv
  for kv in "$@"; do line=${line/ ${kv%%=*}=0 / $kv }; done
  line=${line# }; echo "${line% }"
}

# ---------------------------------------------------------------------------
section "recipes: clean load, scale 200"
fresh_db recipes_clean
assert_true "load recipes --scale 200" -- load_example recipes --scale 200
assert_eq "$(recipe_expected_counts 200)" "$(recipe_counts)" "row counts follow scale 200"
assert_eq "$ALL_CLEAN" "$(recipe_problems)" "clean data: no orphans, duplicates, bad values, unmapped categories"
assert_eq 0 "$(psql_value "SELECT count(*) FROM pg_constraint WHERE conname IN ($SEED_CONSTRAINTS)")" \
  "none of the seed constraints exist yet"
assert_eq 0 "$(psql_value "SELECT count(*) FROM pg_class WHERE relname IN ($SEED_INDEXES)")" \
  "none of the seed indexes exist yet"
assert_eq 0 "$(psql_value "SELECT count(*) FROM pg_trigger WHERE tgname = 'sync_recipe_category_trigger'")" \
  "no category sync trigger yet"
assert_eq 3 "$(psql_value "SELECT count(*) FROM pg_extension WHERE extname IN ('pg_trgm','citext','uuid-ossp')")" \
  "extensions.sql created pg_trgm, citext, uuid-ossp"
assert_eq 21 "$(psql_value "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")" \
  "the 21 Prisma relation FKs exist"
assert_eq "15 15" "$(psql_value "SELECT count(*) || ' ' || count(*) FILTER (WHERE EXISTS (SELECT FROM pg_constraint p WHERE p.conrelid = c.oid AND p.contype = 'p')) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'")" \
  "15 tables, each with a primary key"
needs_backfill=$(psql_value "$SEED_UNMAPPED")
assert_num "$needs_backfill" -gt 0 "some categorised recipes have categoryId NULL (backfill has work: $needs_backfill)"
assert_eq 0 "$(psql_value 'SELECT count(*) FROM "Recipe" r JOIN "Category" c ON c.id = r."categoryId" WHERE c.name IS DISTINCT FROM r.category OR c."companyId" <> r."companyId"')" \
  "every categoryId already set agrees with the category text"
assert_num "$(psql_value 'SELECT count(*) FROM "Recipe" WHERE category IS NULL OR category = '"''"'')" -gt 0 \
  "some recipes have no category"
assert_num "$(psql_value 'SELECT count(*) FROM "Notification" WHERE NOT "isRead"')" -gt 0 "some notifications are unread"
assert_num "$(psql_value 'SELECT count(DISTINCT status) FROM "WholesaleOrder"')" -eq 5 "wholesale orders in all 5 statuses"
assert_num "$(psql_value 'SELECT count(*) FROM "ProductionTask" WHERE "assignedTo" IS NULL')" -gt 0 "some tasks are unassigned"
assert_eq 0 "$(psql_value 'SELECT count(*) FROM "Recipe" WHERE "updatedAt" < "createdAt"')" "updatedAt >= createdAt"
fp1=$(recipe_fingerprint)

section "recipes: the seed 001 migrations apply to clean data"
assert_true "composite uniques" -- psql_run "$SEED_UNIQUES"
assert_true "FKs to User, NOT VALID then VALIDATE" -- psql_run "$SEED_FKS"
assert_true "CHECK constraints" -- psql_run "$SEED_CHECKS"
assert_true "indexes CONCURRENTLY (needs pg_trgm)" -- psql_run "$SEED_INDEX_SQL"
assert_true "category backfill" -- psql_run "$SEED_BACKFILL"
assert_eq 0 "$(psql_value "$SEED_UNMAPPED")" "backfill leaves no categorised recipe without categoryId"
assert_eq 10 "$(psql_value "SELECT count(*) FROM pg_constraint WHERE conname IN ($SEED_CONSTRAINTS) AND convalidated")" \
  "10 seed constraints exist and are validated"
assert_eq 9 "$(psql_value "SELECT count(*) FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid WHERE c.relname IN ($SEED_INDEXES) AND i.indisvalid")" \
  "9 seed indexes exist and are valid"

section "recipes: determinism and scaling"
fresh_db recipes_again
assert_true "load recipes --scale 200 again" -- load_example recipes --scale 200
assert_eq "$fp1" "$(recipe_fingerprint)" "two loads at the same scale hold identical data"
fresh_db recipes_400
assert_true "load recipes --scale 400" -- load_example recipes --scale 400
assert_eq "$(recipe_expected_counts 400)" "$(recipe_counts)" "row counts follow scale 400"
assert_eq "$ALL_CLEAN" "$(recipe_problems)" "clean at scale 400 too"
fresh_db recipes_default
assert_true "load recipes (default scale)" -- load_example recipes
assert_eq 1000 "$(psql_value 'SELECT count(*) FROM "Recipe"')" "default scale is 1000 recipes"
assert_eq 10 "$(psql_value 'SELECT count(*) FROM "Company"')" "1000 recipes -> 10 companies"
assert_eq "$ALL_CLEAN" "$(recipe_problems)" "clean at scale 1000 too"
fresh_db recipes_tiny
assert_true "load recipes --scale 1" -- load_example recipes --scale 1
assert_eq "$(recipe_expected_counts 1)" "$(recipe_counts)" "scale 1 works (one company)"

# ---------------------------------------------------------------------------
section "recipes: each plant"
plant_case() {  # plant_case PLANT EXPECTED_PROBLEM... — load with PLANT at scale 200
  local plant=$1; shift
  fresh_db recipes_plant
  if ! assert_true "load recipes --plant $plant" -- load_example recipes --scale 200 --plant "$plant"; then return; fi
  assert_eq "$(with_problems "$@")" "$(recipe_problems)" "plant $plant: exactly the planted problems"
  if [[ $plant != missing_table ]]; then
    assert_eq "$(recipe_expected_counts 200)" "$(recipe_counts)" "plant $plant: row counts unchanged"
  fi
}

plant_case orphan_items item_no_recipe=3 item_no_ingredient=2 section_no_recipe=2
plant_case orphan_users plan_no_user=4 task_no_user=3 movement_no_user=2 company_no_owner=1
assert_ne 0 "$(psql_run "$SEED_FKS" >/dev/null 2>&1; echo $?)" "with orphan users the FK validation fails"
plant_case orphans item_no_recipe=3 item_no_ingredient=2 section_no_recipe=2 \
           plan_no_user=4 task_no_user=3 movement_no_user=2 company_no_owner=1
plant_case duplicates item_dup_pairs=5 section_dup_pairs=3
assert_ne 0 "$(psql_run "$SEED_UNIQUES" >/dev/null 2>&1; echo $?)" "with duplicates the composite unique fails"
plant_case negative_prices recipe_negative_price=4 ingredient_negative_price=3
assert_ne 0 "$(psql_run "$SEED_CHECKS" >/dev/null 2>&1; echo $?)" "with negative prices the CHECKs fail"
plant_case nonpositive_quantities recipe_nonpositive_yield=2 item_nonpositive_quantity=3
plant_case unmapped_categories unmapped_category=6
assert_eq "Legacy Import=2 Seasonal Specials=4" \
  "$(psql_value "SELECT string_agg(category || '=' || n, ' ' ORDER BY category) FROM (SELECT category, count(*) n FROM \"Recipe\" WHERE category IN ('Seasonal Specials','Legacy Import') AND \"categoryId\" IS NULL GROUP BY 1) s")" \
  "unmapped categories are 'Seasonal Specials' x4 and 'Legacy Import' x2"
psql_run "$SEED_BACKFILL" >/dev/null
assert_eq 6 "$(psql_value "$SEED_UNMAPPED")" "the backfill leaves the 6 unmapped recipes"
plant_case invalid_index invalid_indexes=1
assert_eq "idx_recipe_item_failed_build" \
  "$(psql_value "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid")" \
  "the invalid index is idx_recipe_item_failed_build"
plant_case missing_table
assert_eq "" "$(psql_value "SELECT to_regclass('\"Membership\"')")" "missing_table drops Membership"
assert_eq 14 "$(psql_value "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" "the other 14 tables remain"

fresh_db recipes_plant
assert_true "load with every plant at once" -- \
  load_example recipes --scale 200 --plant 'orphans, duplicates,negative_prices,nonpositive_quantities,unmapped_categories'
assert_eq "$(with_problems item_no_recipe=3 item_no_ingredient=2 section_no_recipe=2 plan_no_user=4 task_no_user=3 \
             movement_no_user=2 company_no_owner=1 item_dup_pairs=5 section_dup_pairs=3 recipe_negative_price=4 \
             ingredient_negative_price=3 recipe_nonpositive_yield=2 item_nonpositive_quantity=3 unmapped_category=6)" \
  "$(recipe_problems)" "plants combine without masking each other"

# ---------------------------------------------------------------------------
section "recipes: extensions are separate, schema option, bad input"
assert_eq 0 "$(grep -ci 'create extension' "$EXAMPLES_DIR/recipes/schema.sql" "$EXAMPLES_DIR/recipes/data.sql" | awk -F: '{s += $2} END {print s}')" \
  "schema.sql and data.sql create no extension"
fresh_db recipes_noext
assert_true "load without extensions.sql" -- load_example recipes --scale 50 --no-extensions
assert_eq 0 "$(psql_value "SELECT count(*) FROM pg_extension WHERE extname IN ('pg_trgm','citext','uuid-ossp')")" \
  "no extension without extensions.sql"
assert_ne 0 "$(psql_run 'CREATE INDEX idx_recipe_name_trgm ON "Recipe" USING gin (name gin_trgm_ops)' >/dev/null 2>&1; echo $?)" \
  "without pg_trgm the trigram index cannot be built"
fresh_db recipes_someext
assert_true "load with only pg_trgm" -- load_example recipes --scale 50 --extensions pg_trgm
assert_eq "pg_trgm" "$(psql_value "SELECT string_agg(extname, ',') FROM pg_extension WHERE extname IN ('pg_trgm','citext','uuid-ossp')")" \
  "--extensions creates just the ones listed (citext missing)"

fresh_db recipes_schema
assert_true "load into schema app" -- load_example recipes --scale 50 --schema app
assert_eq "15 0" "$(psql_value "SELECT count(*) FILTER (WHERE schemaname = 'app') || ' ' || count(*) FILTER (WHERE schemaname = 'public') FROM pg_tables WHERE schemaname IN ('app','public')")" \
  "-v schema=app puts all 15 tables in app"
assert_eq 50 "$(psql_value 'SELECT count(*) FROM app."Recipe"')" "data loaded into app"

fresh_db recipes_bad
psql -X -q -v ON_ERROR_STOP=1 -f "$EXAMPLES_DIR/recipes/schema.sql" >/dev/null 2>&1
assert_exit 3 "an unknown plant is an error" -- psql -X -q -v plant=orphans,bogus -f "$EXAMPLES_DIR/recipes/data.sql"
assert_contains "$(last_stderr)" "unknown plant(s): bogus" "... naming the plant"
assert_exit 3 "scale 0 is an error" -- psql -X -q -v scale=0 -f "$EXAMPLES_DIR/recipes/data.sql"
assert_contains "$(last_stderr)" "scale must be an integer" "... saying why"
assert_eq 0 "$(psql_value 'SELECT count(*) FROM "Recipe"')" "a rejected load writes nothing"

# ---------------------------------------------------------------------------
# Users (seed 000)

declare -A UQ=(
  [dashboard_widgets]=user_id [user_sessions]=user_id [user_preferences]=user_id [api_keys]=user_id
  [error_logs]=user_id [audit_events]=user_id [migration_rollback_audit]=initiated_by
)
USER_TABLES=(users dashboard_widgets user_sessions user_preferences api_keys error_logs audit_events migration_rollback_audit)

users_orphans() {  # "table=orphans ..." over the tables that exist
  local sql="SELECT concat_ws(' '" t
  for t in "${USER_TABLES[@]:1}"; do
    [[ -n "$(psql_value "SELECT to_regclass('$t')")" ]] || continue
    sql+=", '$t=' || (SELECT count(*) FROM $t x WHERE x.${UQ[$t]} IS NOT NULL AND NOT EXISTS (SELECT FROM users u WHERE u.user_id = x.${UQ[$t]}))"
  done
  psql_value "$sql)"
}
users_counts() {
  local list
  list=$(printf "'%s'," "${USER_TABLES[@]}")
  psql_value "SELECT string_agg(t || '=' || (xpath('/row/c/text()',
                query_to_xml(format('SELECT count(*) AS c FROM %I', t), false, true, '')))[1]::text, ' ' ORDER BY o)
              FROM unnest(ARRAY[${list%,}]) WITH ORDINALITY AS u(t, o) WHERE to_regclass(quote_ident(t)) IS NOT NULL"
}
users_expected_counts() {  # N [audit]
  local N=$1 keys=$(( $1 / 2 > 1 ? $1 / 2 : 1 ))
  local s="users=$N dashboard_widgets=$((3 * N)) user_sessions=$((2 * N)) user_preferences=$((4 * N)) api_keys=$keys error_logs=$((5 * N)) audit_events=$((5 * N))"
  [[ ${2:-} == audit ]] && s+=" migration_rollback_audit=20"
  echo "$s"
}

# seed 000, in plain SQL: delete orphans of required FKs, nullify optional ones, add FK + index
users_fix_sql() {
  local t col sql="" required
  for t in "${USER_TABLES[@]:1}"; do
    [[ -n "$(psql_value "SELECT to_regclass('$t')")" ]] || continue
    col=${UQ[$t]}
    required=$(psql_value "SELECT attnotnull FROM pg_attribute WHERE attrelid = '$t'::regclass AND attname = '$col'")
    if [[ $required == t ]]; then
      sql+="DELETE FROM $t x WHERE NOT EXISTS (SELECT FROM users u WHERE u.user_id = x.$col);"
    else
      sql+="UPDATE $t x SET $col = NULL WHERE $col IS NOT NULL AND NOT EXISTS (SELECT FROM users u WHERE u.user_id = x.$col);"
    fi
    sql+="ALTER TABLE $t ADD CONSTRAINT ${t}_${col}_fkey FOREIGN KEY ($col) REFERENCES users (user_id);"
    sql+="CREATE INDEX IF NOT EXISTS idx_${t}_${col}_fk ON $t ($col);"
  done
  echo "$sql"
}

section "users: clean load"
fresh_db users_clean
assert_true "load users --scale 100" -- load_example users --scale 100
assert_eq "$(users_expected_counts 100)" "$(users_counts)" "row counts follow scale 100"
assert_eq "dashboard_widgets=0 user_sessions=0 user_preferences=0 api_keys=0 error_logs=0 audit_events=0" \
  "$(users_orphans)" "clean data: no orphan user_id"
assert_eq "" "$(psql_value "SELECT to_regclass('migration_rollback_audit')")" "no migration_rollback_audit without the plant"
assert_eq 0 "$(psql_value "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")" "no FK exists yet"
assert_eq 0 "$(psql_value "SELECT count(*) FROM pg_class WHERE relname LIKE 'idx\_%\_fk'")" "no FK index exists yet"
assert_eq "api_keys=true audit_events=false dashboard_widgets=true error_logs=false user_preferences=true user_sessions=true" \
  "$(psql_value "SELECT string_agg(attrelid::regclass || '=' || attnotnull, ' ' ORDER BY attrelid::regclass::text) FROM pg_attribute WHERE attname = 'user_id' AND attrelid::regclass::text <> 'users' AND attrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r')")" \
  "required (NOT NULL) and optional user_id columns"
assert_num "$(psql_value 'SELECT count(*) FROM error_logs WHERE user_id IS NULL')" -gt 0 "some error_logs have no user"
assert_true "FKs apply directly to clean data" -- psql_run "$(users_fix_sql)"
assert_eq 6 "$(psql_value "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated")" "6 FKs added"
assert_eq "$(users_expected_counts 100)" "$(users_counts)" "and no row was deleted"

fresh_db users_default
assert_true "load users (default scale)" -- load_example users
assert_eq "$(users_expected_counts 1000)" "$(users_counts)" "default scale is 1000 users"
fp_users=$(psql_value "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM error_logs t")
fresh_db users_default
load_example users >/dev/null
assert_eq "$fp_users" "$(psql_value "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM error_logs t")" \
  "users loads are deterministic"

section "users: plants"
fresh_db users_orphans
assert_true "load users --plant orphans" -- load_example users --scale 100 --plant orphans
assert_eq "dashboard_widgets=5 user_sessions=3 user_preferences=4 api_keys=2 error_logs=12 audit_events=7" \
  "$(users_orphans)" "orphans planted in every user table"
assert_eq "$(users_expected_counts 100)" "$(users_counts)" "row counts unchanged by the plant"
assert_ne 0 "$(psql_run 'ALTER TABLE dashboard_widgets ADD CONSTRAINT dashboard_widgets_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (user_id)' >/dev/null 2>&1; echo $?)" \
  "a plain FK fails on the orphans"
assert_true "seed 000 logic: delete / nullify orphans, then add FKs" -- psql_run "$(users_fix_sql)"
assert_eq "dashboard_widgets=0 user_sessions=0 user_preferences=0 api_keys=0 error_logs=0 audit_events=0" \
  "$(users_orphans)" "no orphans left"
assert_eq "295 500" "$(psql_value "SELECT (SELECT count(*) FROM dashboard_widgets) || ' ' || (SELECT count(*) FROM error_logs)")" \
  "required: 5 widget rows deleted; optional: every error_logs row kept"
assert_eq 112 "$(psql_value 'SELECT count(*) FROM error_logs WHERE user_id IS NULL')" \
  "optional: 12 error_logs user_ids nullified (100 were NULL already)"

fresh_db users_audit
assert_true "load users --plant audit_table,orphans" -- load_example users --scale 100 --plant audit_table,orphans
assert_eq "$(users_expected_counts 100 audit)" "$(users_counts)" "audit_table creates migration_rollback_audit with 20 rows"
assert_eq "dashboard_widgets=5 user_sessions=3 user_preferences=4 api_keys=2 error_logs=12 audit_events=7 migration_rollback_audit=2" \
  "$(users_orphans)" "orphans reach migration_rollback_audit.initiated_by too"
assert_eq "f" "$(psql_value "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'migration_rollback_audit'::regclass AND attname = 'initiated_by'")" \
  "initiated_by is optional (nullable)"

fresh_db users_fk
assert_true "load users --plant existing_fk" -- load_example users --scale 100 --plant existing_fk
assert_eq "user_sessions_user_id_fkey" "$(psql_value "SELECT string_agg(conname, ',') FROM pg_constraint WHERE contype = 'f'")" \
  "existing_fk: user_sessions_user_id_fkey already there"
assert_exit 3 "orphans and existing_fk do not combine" -- psql -X -q -v plant=orphans,existing_fk -f "$EXAMPLES_DIR/users/data.sql"

# ---------------------------------------------------------------------------
section "load time"
fresh_db recipes_timed
start=$(date +%s%N)
assert_true "load recipes --scale 5000" -- load_example recipes --scale 5000
ms=$(( ($(date +%s%N) - start) / 1000000 ))
note "recipes at scale 5000 ($(psql_value 'SELECT count(*) FROM "RecipeItem"') RecipeItem rows) loaded in ${ms} ms"
assert_num "$ms" -lt 60000 "scale 5000 loads in under a minute"
