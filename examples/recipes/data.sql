-- Recipes application: deterministic demo data, with problems planted on demand.
--
--   psql -v scale=1000 -v plant=orphans,duplicates -f data.sql
--
-- Variables (all optional):
--   scale   number of "Recipe" rows (default 1000); every other table is
--           proportional (see the table below). scale=125000 gives ~1M RecipeItem rows.
--   plant   comma-separated problems to plant (default none):
--             orphan_items      3 RecipeItem -> missing Recipe, 2 RecipeItem -> missing
--                               Ingredient, 2 RecipeSection -> missing Recipe (these
--                               columns HAVE FKs: the rows are written with triggers off,
--                               as a restore with --disable-triggers would; needs superuser)
--             orphan_users      4 ProductionPlan.createdBy, 3 ProductionTask.assignedTo,
--                               2 InventoryMovement.createdBy, 1 Company.ownerId -> missing User
--             orphans           both of the above
--             duplicates        5 duplicate ("recipeId","ingredientId") pairs in RecipeItem,
--                               3 duplicate ("recipeId","order") pairs in RecipeSection
--             negative_prices   4 Recipe."sellingPrice" < 0, 3 Ingredient."packPrice" < 0
--             nonpositive_quantities  2 Recipe."yieldQuantity" = 0, 3 RecipeItem.quantity <= 0
--             unmapped_categories     6 Recipe.category values with no "Category" row
--                               ('Seasonal Specials' x4, 'Legacy Import' x2), "categoryId" NULL
--             invalid_index     leaves an INVALID index "idx_recipe_item_failed_build"
--                               (a failed CREATE UNIQUE INDEX CONCURRENTLY; psql prints its error)
--             missing_table     drops the required table "Membership"
--           Plants change values of existing rows; they never change row counts
--           (missing_table aside), so counts stay a function of scale alone.
--           (With fewer than ~10 recipes, fewer rows than listed may be affected.)
--   schema  load into this schema instead of public (as for schema.sql)
--
-- Sizes, with R = scale, C = companies = max(min(2,R), R/100):
--   Company C, User 5C (5 per company, user c owns company c), Membership 5C,
--   Category 8C, Ingredient 40C, Recipe R, RecipeItem sum(4 + r%9) ~ 8R,
--   RecipeSection sum(1 + r%3) ~ 2R, ProductionPlan max(1,R/10), ProductionTask 5 per plan,
--   InventoryMovement 2R, SalesRecord 4R, ProductionHistory 2R, Notification 2R,
--   WholesaleOrder max(1,R/5).
--
-- Without plants the data satisfies every constraint the seed runbooks add:
-- no orphans, no duplicate pairs, prices and quantities > 0 (sellingPrice is
-- NULL for 2% of recipes), every non-empty category maps to a "Category" row
-- of the recipe's own company (join on companyId AND name: names repeat across
-- companies), and "categoryId" is NULL for a third of those recipes so the
-- backfill has work to do (5% of recipes have no category, 2% an empty one).
-- Ids are text, 'usr_0000001' style. Dates are fixed (2024), never now().

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

-- ---- validate and size ----------------------------------------------------
SELECT set_config('examples.scale', :'scale', false) AS _s,
       set_config('examples.plant', replace(:'plant', ' ', ''), false) AS _p \gset
DO $$
DECLARE
  s text := current_setting('examples.scale');
  bad text;
BEGIN
  IF s !~ '^[1-9][0-9]{0,6}$' THEN
    RAISE EXCEPTION 'data.sql: scale must be an integer from 1 to 9999999, got "%"', s;
  END IF;
  SELECT string_agg(p, ', ') INTO bad
    FROM unnest(string_to_array(current_setting('examples.plant'), ',')) AS p
   WHERE p <> '' AND p NOT IN ('orphans', 'orphan_items', 'orphan_users', 'duplicates',
                               'negative_prices', 'nonpositive_quantities',
                               'unmapped_categories', 'invalid_index', 'missing_table');
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'data.sql: unknown plant(s): % (known: orphans, orphan_items, orphan_users, duplicates, negative_prices, nonpositive_quantities, unmapped_categories, invalid_index, missing_table)', bad;
  END IF;
END $$;

SELECT r AS nr_recipes,
       c AS nr_companies,
       r / c AS recipes_per_company,
       greatest(1, r / 10) AS nr_plans,
       greatest(1, r / 5) AS nr_orders,
       p && ARRAY['orphans', 'orphan_items'] AS plant_orphan_items,
       p && ARRAY['orphans', 'orphan_users'] AS plant_orphan_users,
       'duplicates' = ANY (p) AS plant_duplicates,
       'negative_prices' = ANY (p) AS plant_negative_prices,
       'nonpositive_quantities' = ANY (p) AS plant_nonpositive_quantities,
       'unmapped_categories' = ANY (p) AS plant_unmapped_categories,
       'invalid_index' = ANY (p) AS plant_invalid_index,
       'missing_table' = ANY (p) AS plant_missing_table,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS is_superuser
  FROM (SELECT current_setting('examples.scale')::int AS r,
               string_to_array(current_setting('examples.plant'), ',') AS p) AS v,
       LATERAL (SELECT greatest(least(2, v.r), v.r / 100) AS c) AS cc \gset

\if :plant_orphan_items
\if :is_superuser
\else
DO $$ BEGIN RAISE EXCEPTION 'data.sql: plant orphan_items needs a superuser (rows that break existing FKs are written with triggers off)'; END $$;
\endif
\endif

BEGIN;
-- The generated rows are consistent by construction: skip the per-row FK
-- triggers (a large part of the load time) when allowed to.
\if :is_superuser
SET LOCAL session_replication_role = replica;
\endif

-- ---- companies, users, memberships -----------------------------------------
INSERT INTO "User" ("id", "email", "name", "isActive", "createdAt", "updatedAt")
SELECT 'usr_' || lpad(u::text, 7, '0'),
       'user' || u || '@example.com',
       (ARRAY['Ada','Ben','Chloe','Dev','Elif','Femi','Greta','Hugo','Ines','Jun'])[1 + u % 10]
         || ' ' || (ARRAY['Baker','Miller','Santos','Novak','Okafor','Larsen','Kim'])[1 + u % 7],
       u % 17 <> 0,
       timestamp '2023-01-01' + u * interval '1 hour',
       timestamp '2023-06-01' + u * interval '1 hour'
  FROM generate_series(1, 5 * :nr_companies) AS u;

INSERT INTO "Company" ("id", "name", "ownerId", "currency", "createdAt", "updatedAt")
SELECT 'cmp_' || lpad(c::text, 7, '0'),
       (ARRAY['Crumb & Co','Golden Crust','Flour Power','Rise Bakery','The Mill'])[1 + c % 5] || ' ' || c,
       'usr_' || lpad(c::text, 7, '0'),
       (ARRAY['EUR','GBP','USD'])[1 + c % 3],
       timestamp '2023-01-01' + c * interval '1 hour',
       timestamp '2023-06-01' + c * interval '1 hour'
  FROM generate_series(1, :nr_companies) AS c;

-- user u belongs to company ((u-1) % C) + 1; user c (c <= C) owns company c
INSERT INTO "Membership" ("id", "userId", "companyId", "role", "createdAt")
SELECT 'mem_' || lpad(u::text, 7, '0'),
       'usr_' || lpad(u::text, 7, '0'),
       'cmp_' || lpad((1 + (u - 1) % :nr_companies)::text, 7, '0'),
       CASE WHEN u <= :nr_companies THEN 'OWNER' WHEN u <= 2 * :nr_companies THEN 'ADMIN' ELSE 'MEMBER' END,
       timestamp '2023-01-02' + u * interval '1 hour'
  FROM generate_series(1, 5 * :nr_companies) AS u;

-- ---- categories, ingredients -----------------------------------------------
-- category k (0..7) of company c has id cat_<(c-1)*8+k+1>
INSERT INTO "Category" ("id", "companyId", "name", "description", "createdAt", "updatedAt")
SELECT 'cat_' || lpad(((c - 1) * 8 + k + 1)::text, 7, '0'),
       'cmp_' || lpad(c::text, 7, '0'),
       (ARRAY['Bread','Pastry','Cake','Cookies','Savoury','Desserts','Drinks','Sandwiches'])[k + 1],
       'All ' || lower((ARRAY['Bread','Pastry','Cake','Cookies','Savoury','Desserts','Drinks','Sandwiches'])[k + 1]),
       timestamp '2023-02-01' + c * interval '1 hour',
       timestamp '2023-02-01' + c * interval '1 hour'
  FROM generate_series(1, :nr_companies) AS c, generate_series(0, 7) AS k;

-- ingredient k (0..39) of company c has id ing_<(c-1)*40+k+1>
INSERT INTO "Ingredient" ("id", "companyId", "name", "unit", "packSize", "packPrice", "supplier", "createdAt", "updatedAt")
SELECT 'ing_' || lpad(((c - 1) * 40 + k + 1)::text, 7, '0'),
       'cmp_' || lpad(c::text, 7, '0'),
       (ARRAY['Strong white flour','Wholemeal flour','Rye flour','Spelt flour','Caster sugar',
              'Brown sugar','Icing sugar','Butter','Milk','Double cream',
              'Eggs','Yeast','Sea salt','Honey','Dark chocolate',
              'Cocoa powder','Vanilla extract','Cinnamon','Almonds','Hazelnuts',
              'Walnuts','Raisins','Lemons','Oranges','Apples',
              'Raspberries','Blueberries','Cream cheese','Cheddar','Ham',
              'Tomatoes','Olive oil','Rosemary','Sesame seeds','Oats',
              'Baking powder','Buttermilk','Maple syrup','Pistachios','Coffee beans'])[k + 1],
       (ARRAY['g','g','g','g','g','g','g','g','ml','ml','pcs','g','g','g','g','g','ml','g','g','g',
              'g','g','pcs','pcs','pcs','g','g','g','g','g','g','ml','g','g','g','g','ml','ml','g','g'])[k + 1],
       (ARRAY[1000, 500, 2500, 5000])[1 + (c + k) % 4],
       round((1.20 + ((c * 31 + k * 17) % 400) / 20.0)::numeric, 2),
       (ARRAY['Bako','Brakes','Local farm','Metro'])[1 + (c + k) % 4],
       timestamp '2023-02-01' + ((c - 1) * 40 + k) * interval '5 minutes',
       timestamp '2023-03-01' + ((c - 1) * 40 + k) * interval '5 minutes'
  FROM generate_series(1, :nr_companies) AS c, generate_series(0, 39) AS k;

-- ---- recipes ---------------------------------------------------------------
-- recipe r belongs to company ((r-1) % C) + 1; its category is k = r % 8, except
-- r % 20 = 0 (no category) and r % 50 = 7 (empty string); "categoryId" is set
-- for r % 3 <> 0 and left NULL (to backfill) for r % 3 = 0.
INSERT INTO "Recipe" ("id", "companyId", "name", "description", "method", "category", "categoryId",
                      "sellingPrice", "yieldQuantity", "yieldUnit", "prepTimeMinutes", "isArchived",
                      "createdAt", "updatedAt")
SELECT 'rcp_' || lpad(r::text, 7, '0'),
       'cmp_' || lpad(c::text, 7, '0'),
       adj || ' ' || dish || CASE WHEN r > 240 THEN ' No. ' || (r / 240) ELSE '' END,
       'A ' || lower(adj) || ' ' || lower(dish) || ' made with ' || lower(ing1) || ' and '
         || lower(ing2) || '. Serves ' || (2 + r % 10) || '.',
       'Combine the ' || lower(ing1) || ' with the ' || lower(ing2) || '. Rest for ' || (10 + r % 50)
         || ' minutes, then bake at ' || (160 + 10 * (r % 8)) || 'C for ' || (15 + r % 40) || ' minutes.',
       CASE WHEN r % 20 = 0 THEN NULL WHEN r % 50 = 7 THEN '' ELSE cat END,
       CASE WHEN r % 20 = 0 OR r % 50 = 7 OR r % 3 = 0 THEN NULL
            ELSE 'cat_' || lpad(((c - 1) * 8 + r % 8 + 1)::text, 7, '0') END,
       CASE WHEN r % 50 = 13 THEN NULL ELSE round((2.50 + (r * 37 % 2000) / 100.0)::numeric, 2) END,
       1 + r % 24,
       (ARRAY['portion','loaf','piece','tray'])[1 + r % 4],
       10 + r % 170,
       r % 29 = 0,
       timestamp '2023-03-01' + r * interval '7 minutes',
       timestamp '2023-09-01' + r * interval '7 minutes'
  FROM (SELECT r, 1 + (r - 1) % :nr_companies AS c,
               (ARRAY['Rustic','Classic','Spiced','Honey','Golden','Seeded','Double','Lemon',
                      'Toasted','Country','Sticky','Vegan'])[1 + r % 12] AS adj,
               (ARRAY['Sourdough','Croissant','Brioche','Baguette','Focaccia','Scone','Muffin',
                      'Banana Bread','Cinnamon Roll','Brownie','Cheesecake','Tart','Flapjack',
                      'Pretzel','Bagel','Danish','Eclair','Macaron','Ciabatta','Shortbread'])[1 + (r / 12) % 20] AS dish,
               (ARRAY['Bread','Pastry','Cake','Cookies','Savoury','Desserts','Drinks','Sandwiches'])[1 + r % 8] AS cat,
               (ARRAY['Flour','Butter','Sugar','Eggs','Honey','Almonds','Chocolate','Oats'])[1 + r % 8] AS ing1,
               (ARRAY['Milk','Yeast','Cream','Raisins','Lemon','Cinnamon','Walnuts'])[1 + r % 7] AS ing2
          FROM generate_series(1, :nr_recipes) AS r) AS g;

-- item j (0 .. 3 + r%9) of recipe r uses ingredient (7r + 13j) % 40 of the
-- recipe's company: 13 is prime to 40, so a recipe never repeats an ingredient.
INSERT INTO "RecipeItem" ("id", "recipeId", "ingredientId", "quantity", "unit", "notes", "createdAt", "updatedAt")
SELECT 'rit_' || lpad(r::text, 7, '0') || '_' || lpad(j::text, 2, '0'),
       'rcp_' || lpad(r::text, 7, '0'),
       'ing_' || lpad(((c - 1) * 40 + (7 * r + 13 * j) % 40 + 1)::text, 7, '0'),
       round((5 + (r * 13 + j * 29) % 995)::numeric / (1 + j % 3), 3),
       (ARRAY['g','ml','pcs','g'])[1 + j % 4],
       CASE WHEN (r + j) % 11 = 0 THEN 'sifted' END,
       timestamp '2023-03-01' + r * interval '7 minutes' + j * interval '1 second',
       timestamp '2023-09-01' + r * interval '7 minutes' + j * interval '1 second'
  FROM (SELECT r, 1 + (r - 1) % :nr_companies AS c FROM generate_series(1, :nr_recipes) AS r) AS g,
       LATERAL generate_series(0, 3 + r % 9) AS j;

-- sections: 1 + r%3 per recipe, "order" 0, 1, 2
INSERT INTO "RecipeSection" ("id", "recipeId", "name", "order", "instructions", "createdAt", "updatedAt")
SELECT 'rsc_' || lpad(r::text, 7, '0') || '_' || s,
       'rcp_' || lpad(r::text, 7, '0'),
       (ARRAY['Dough','Filling','Finishing'])[s + 1],
       s,
       (ARRAY['Mix and knead until smooth.','Prepare the filling.','Glaze and decorate.'])[s + 1],
       timestamp '2023-03-01' + r * interval '7 minutes',
       timestamp '2023-09-01' + r * interval '7 minutes'
  FROM generate_series(1, :nr_recipes) AS r, LATERAL generate_series(0, r % 3) AS s;

-- ---- production ------------------------------------------------------------
-- users of company c are c + m*C (m = 0..4)
INSERT INTO "ProductionPlan" ("id", "companyId", "name", "planDate", "status", "createdBy", "createdAt", "updatedAt")
SELECT 'pln_' || lpad(p::text, 7, '0'),
       'cmp_' || lpad(c::text, 7, '0'),
       'Week ' || (1 + p % 52) || ' bake',
       timestamp '2024-01-01' + (p % 365) * interval '1 day',
       (ARRAY['DRAFT','SCHEDULED','IN_PROGRESS','COMPLETED'])[1 + p % 4],
       'usr_' || lpad((c + (p % 5) * :nr_companies)::text, 7, '0'),
       timestamp '2023-12-01' + p * interval '13 minutes',
       timestamp '2023-12-15' + p * interval '13 minutes'
  FROM (SELECT p, 1 + (p - 1) % :nr_companies AS c FROM generate_series(1, :nr_plans) AS p) AS g;

INSERT INTO "ProductionTask" ("id", "planId", "recipeId", "quantity", "status", "assignedTo", "dueAt",
                              "completedAt", "createdAt", "updatedAt")
SELECT 'tsk_' || lpad(p::text, 7, '0') || '_' || t,
       'pln_' || lpad(p::text, 7, '0'),
       'rcp_' || lpad((c + :nr_companies * ((p * 5 + t) % :recipes_per_company))::text, 7, '0'),
       1 + (p + t) % 40,
       (ARRAY['PENDING','IN_PROGRESS','DONE'])[1 + (p + t) % 3],
       CASE WHEN (p * 5 + t) % 4 = 0 THEN NULL
            ELSE 'usr_' || lpad((c + ((p + t) % 5) * :nr_companies)::text, 7, '0') END,
       timestamp '2024-01-01' + (p % 365) * interval '1 day' + t * interval '1 hour',
       CASE WHEN (p + t) % 3 = 2 THEN timestamp '2024-01-01' + (p % 365) * interval '1 day' + (t + 2) * interval '1 hour' END,
       timestamp '2023-12-01' + p * interval '13 minutes',
       timestamp '2023-12-15' + p * interval '13 minutes'
  FROM (SELECT p, 1 + (p - 1) % :nr_companies AS c FROM generate_series(1, :nr_plans) AS p) AS g,
       generate_series(0, 4) AS t;

INSERT INTO "ProductionHistory" ("id", "companyId", "recipeId", "productionDate", "quantityProduced",
                                 "batchNumber", "notes", "createdAt")
SELECT 'phs_' || lpad(h::text, 8, '0'),
       'cmp_' || lpad(c::text, 7, '0'),
       'rcp_' || lpad((c + :nr_companies * ((h * 3) % :recipes_per_company))::text, 7, '0'),
       timestamp '2024-01-01' + (h::bigint * 31536 / (2 * :nr_recipes)) * interval '1000 seconds',
       10 + h % 90,
       'B' || lpad((h % 100000)::text, 5, '0'),
       CASE WHEN h % 13 = 0 THEN 'oven 2 ran hot' END,
       timestamp '2024-01-01' + (h::bigint * 31536 / (2 * :nr_recipes)) * interval '1000 seconds' + interval '2 hours'
  FROM (SELECT h, 1 + (h - 1) % :nr_companies AS c FROM generate_series(1, 2 * :nr_recipes) AS h) AS g;

-- ---- inventory, sales, orders ----------------------------------------------
INSERT INTO "InventoryMovement" ("id", "companyId", "ingredientId", "type", "quantity", "unitCost",
                                 "reference", "createdBy", "createdAt")
SELECT 'inv_' || lpad(m::text, 8, '0'),
       'cmp_' || lpad(c::text, 7, '0'),
       'ing_' || lpad(((c - 1) * 40 + (m * 11) % 40 + 1)::text, 7, '0'),
       ty,
       CASE ty WHEN 'PURCHASE' THEN 1000 + m % 9000 WHEN 'ADJUSTMENT' THEN (m % 200) - 100
               ELSE -(1 + m % 500) END,
       CASE WHEN ty = 'PURCHASE' THEN round((0.50 + (m % 300) / 100.0)::numeric, 2) END,
       CASE WHEN ty = 'PURCHASE' THEN 'PO-' || m END,
       CASE WHEN m % 10 = 0 THEN NULL ELSE 'usr_' || lpad((c + (m % 5) * :nr_companies)::text, 7, '0') END,
       timestamp '2024-01-01' + (m::bigint * 31536 / (2 * :nr_recipes)) * interval '1000 seconds'
  FROM (SELECT m, 1 + (m - 1) % :nr_companies AS c,
               (ARRAY['PURCHASE','USAGE','USAGE','WASTE','ADJUSTMENT'])[1 + m % 5] AS ty
          FROM generate_series(1, 2 * :nr_recipes) AS m) AS g;

INSERT INTO "SalesRecord" ("id", "companyId", "recipeId", "saleDate", "quantity", "unitPrice",
                           "totalAmount", "channel", "createdAt")
SELECT 'sal_' || lpad(s::text, 8, '0'),
       'cmp_' || lpad(c::text, 7, '0'),
       'rcp_' || lpad(r::text, 7, '0'),
       d,
       q,
       price,
       q * price,
       (ARRAY['SHOP','SHOP','ONLINE','WHOLESALE'])[1 + s % 4],
       d + interval '5 minutes'
  FROM (SELECT s, c, r,
               1 + s % 12 AS q,
               round((2.50 + (r * 37 % 2000) / 100.0)::numeric, 2) AS price,
               timestamp '2024-01-01' + (s::bigint * 31536 / (4 * :nr_recipes)) * interval '1000 seconds' AS d
          FROM (SELECT s, 1 + (s - 1) % :nr_companies AS c,
                       1 + (s - 1) % :nr_companies + :nr_companies * ((s * 7) % :recipes_per_company) AS r
                  FROM generate_series(1, 4 * :nr_recipes) AS s) AS a) AS g;

INSERT INTO "Notification" ("id", "userId", "companyId", "type", "title", "message", "isRead", "readAt", "createdAt")
SELECT 'ntf_' || lpad(n::text, 8, '0'),
       'usr_' || lpad(u::text, 7, '0'),
       CASE WHEN n % 9 = 0 THEN NULL ELSE 'cmp_' || lpad((1 + (u - 1) % :nr_companies)::text, 7, '0') END,
       ty,
       CASE ty WHEN 'LOW_STOCK' THEN 'Low stock' WHEN 'PLAN_READY' THEN 'Production plan ready'
               WHEN 'ORDER' THEN 'New wholesale order' ELSE 'Weekly summary' END,
       'Notification ' || n,
       n % 3 <> 0,
       CASE WHEN n % 3 <> 0 THEN timestamp '2024-01-01' + (n::bigint * 31536 / (2 * :nr_recipes)) * interval '1000 seconds' + interval '3 hours' END,
       timestamp '2024-01-01' + (n::bigint * 31536 / (2 * :nr_recipes)) * interval '1000 seconds'
  FROM (SELECT n, 1 + (n - 1) % (5 * :nr_companies) AS u,
               (ARRAY['LOW_STOCK','PLAN_READY','ORDER','SUMMARY'])[1 + n % 4] AS ty
          FROM generate_series(1, 2 * :nr_recipes) AS n) AS g;

INSERT INTO "WholesaleOrder" ("id", "companyId", "customerName", "status", "orderDate", "deliveryDate",
                              "totalAmount", "createdAt", "updatedAt")
SELECT 'who_' || lpad(w::text, 7, '0'),
       'cmp_' || lpad((1 + (w - 1) % :nr_companies)::text, 7, '0'),
       (ARRAY['Corner Cafe','Hotel Astoria','Green Grocer','School Canteen','Station Kiosk'])[1 + w % 5] || ' ' || (1 + w % 40),
       st,
       od,
       CASE WHEN st IN ('SHIPPED', 'DELIVERED') THEN od + (1 + w % 5) * interval '1 day' END,
       round((50 + (w * 53 % 5000) / 10.0)::numeric, 2),
       od,
       od + interval '1 day'
  FROM (SELECT w, (ARRAY['PENDING','CONFIRMED','SHIPPED','DELIVERED','CANCELLED'])[1 + w % 5] AS st,
               timestamp '2024-01-01' + (w % 365) * interval '1 day' + (w % 24) * interval '1 hour' AS od
          FROM generate_series(1, :nr_orders) AS w) AS g;

-- ---- planted problems ------------------------------------------------------
-- Rows are picked from the end of the id order (orphans) or the start
-- (duplicates and the rest), so plants combine without touching the same rows.
\if :plant_orphan_items
UPDATE "RecipeItem" SET "recipeId" = 'rcp_missing_' || o.n
  FROM (SELECT "id", row_number() OVER (ORDER BY "id" DESC) AS n
          FROM "RecipeItem" WHERE "id" LIKE 'rit\_%\_01' ORDER BY "id" DESC LIMIT 3) AS o
 WHERE "RecipeItem"."id" = o."id";
UPDATE "RecipeItem" SET "ingredientId" = 'ing_missing_' || o.n
  FROM (SELECT "id", row_number() OVER (ORDER BY "id" DESC) AS n
          FROM "RecipeItem" WHERE "id" LIKE 'rit\_%\_02' ORDER BY "id" DESC LIMIT 2) AS o
 WHERE "RecipeItem"."id" = o."id";
UPDATE "RecipeSection" SET "recipeId" = 'rcp_missing_s' || o.n
  FROM (SELECT "id", row_number() OVER (ORDER BY "id" DESC) AS n
          FROM "RecipeSection" WHERE "id" LIKE 'rsc\_%\_0' ORDER BY "id" DESC LIMIT 2) AS o
 WHERE "RecipeSection"."id" = o."id";
\endif

\if :plant_orphan_users
UPDATE "ProductionPlan" SET "createdBy" = 'usr_deleted_' || o.n
  FROM (SELECT "id", row_number() OVER (ORDER BY "id" DESC) AS n
          FROM "ProductionPlan" ORDER BY "id" DESC LIMIT 4) AS o
 WHERE "ProductionPlan"."id" = o."id";
UPDATE "ProductionTask" SET "assignedTo" = 'usr_deleted_t' || o.n
  FROM (SELECT "id", row_number() OVER (ORDER BY "id" DESC) AS n
          FROM "ProductionTask" ORDER BY "id" DESC LIMIT 3) AS o
 WHERE "ProductionTask"."id" = o."id";
UPDATE "InventoryMovement" SET "createdBy" = 'usr_deleted_m' || o.n
  FROM (SELECT "id", row_number() OVER (ORDER BY "id" DESC) AS n
          FROM "InventoryMovement" ORDER BY "id" DESC LIMIT 2) AS o
 WHERE "InventoryMovement"."id" = o."id";
UPDATE "Company" SET "ownerId" = 'usr_deleted_owner'
 WHERE "id" = (SELECT max("id") FROM "Company");
\endif

\if :plant_duplicates
-- item 1 of the first 5 recipes gets the ingredient of item 0
UPDATE "RecipeItem" AS ri SET "ingredientId" = first."ingredientId"
  FROM "RecipeItem" AS first
 WHERE ri."id" IN (SELECT 'rit_' || lpad(r::text, 7, '0') || '_01'
                     FROM generate_series(1, least(5, :nr_recipes)) AS r)
   AND first."id" = regexp_replace(ri."id", '_01$', '_00');
-- section 1 of the first 3 recipes with >= 2 sections gets "order" 0
UPDATE "RecipeSection" SET "order" = 0
 WHERE "id" IN (SELECT "id" FROM "RecipeSection" WHERE "id" LIKE 'rsc\_%\_1' ORDER BY "id" LIMIT 3);
\endif

\if :plant_negative_prices
UPDATE "Recipe" SET "sellingPrice" = -("sellingPrice" + 1)
 WHERE "id" IN (SELECT "id" FROM "Recipe" WHERE "sellingPrice" IS NOT NULL ORDER BY "id" LIMIT 4);
UPDATE "Ingredient" SET "packPrice" = -"packPrice"
 WHERE "id" IN (SELECT "id" FROM "Ingredient" ORDER BY "id" LIMIT 3);
\endif

\if :plant_nonpositive_quantities
UPDATE "Recipe" SET "yieldQuantity" = 0
 WHERE "id" IN (SELECT "id" FROM "Recipe" ORDER BY "id" OFFSET 4 LIMIT 2);
UPDATE "RecipeItem" SET "quantity" = CASE WHEN "id" LIKE '%\_02' THEN 0 ELSE -1 END
 WHERE "id" IN (SELECT "id" FROM "RecipeItem" WHERE "id" LIKE 'rit\_%\_02' OR "id" LIKE 'rit\_%\_03'
                 ORDER BY "id" LIMIT 3);
\endif

\if :plant_unmapped_categories
UPDATE "Recipe" SET "category" = CASE WHEN o.n <= 4 THEN 'Seasonal Specials' ELSE 'Legacy Import' END,
                    "categoryId" = NULL
  FROM (SELECT "id", row_number() OVER (ORDER BY "id") AS n
          FROM (SELECT "id" FROM "Recipe" ORDER BY "id" OFFSET 8 LIMIT 6) AS s) AS o
 WHERE "Recipe"."id" = o."id";
\endif

\if :plant_missing_table
DROP TABLE "Membership";
\endif

COMMIT;

\if :plant_invalid_index
-- A unique index that cannot be built: CONCURRENTLY leaves it behind, INVALID.
\set ON_ERROR_STOP off
CREATE UNIQUE INDEX CONCURRENTLY "idx_recipe_item_failed_build" ON "RecipeItem" ("recipeId");
\set ON_ERROR_STOP on
SELECT count(*) = 1 AS invalid_index_ok FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE c.relname = 'idx_recipe_item_failed_build' AND NOT i.indisvalid \gset
\if :invalid_index_ok
\else
DO $$ BEGIN RAISE EXCEPTION 'data.sql: could not plant invalid_index'; END $$;
\endif
\endif

ANALYZE;
