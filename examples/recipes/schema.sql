-- Recipes application: the schema as Prisma migrations left it, BEFORE the
-- 2025-01-15 audit fixes (seeds 001, 003, 004). For an empty database:
--
--   psql -v ON_ERROR_STOP=1 -f extensions.sql   # optional, see that file
--   psql -v ON_ERROR_STOP=1 -f schema.sql       # optional: -v schema=NAME
--   psql -v ON_ERROR_STOP=1 -v scale=1000 -f data.sql
--
-- Conventions (Prisma): quoted CamelCase tables and columns, text ids
-- (cuid-like, here prefix + number: 'rcp_0000001'), TIMESTAMP(3), primary keys
-- "<Table>_pkey", FKs "<Table>_<column>_fkey" ON DELETE RESTRICT ON UPDATE
-- CASCADE (SET NULL for optional relations), uniques "<Table>_<cols>_key".
--
-- Deliberately ABSENT — the runbooks add them:
--   RecipeItem_recipeId_ingredientId_key   UNIQUE ("recipeId", "ingredientId")
--   RecipeSection_recipeId_order_key       UNIQUE ("recipeId", "order")
--   Company_ownerId_fkey, ProductionPlan_createdBy_fkey,
--   ProductionTask_assignedTo_fkey, InventoryMovement_createdBy_fkey  (FKs to "User")
--   recipe_selling_price_positive, ingredient_pack_price_positive,
--   recipe_yield_quantity_positive, recipe_item_quantity_positive      (CHECKs)
--   idx_recipe_name_trgm, idx_recipe_description_trgm, idx_recipe_method_trgm,
--   idx_recipe_list_covering, idx_sales_record_analytics,
--   idx_production_history_company_date_recipe, idx_inventory_movement_history,
--   idx_notification_unread, idx_wholesale_order_status_date           (indexes)
--   sync_recipe_category_trigger / sync_recipe_category_from_id(),
--   recipe_category_consistency_check                                   (category cutover)
-- No extension is needed by this file.

\set ON_ERROR_STOP on
\if :{?schema}
CREATE SCHEMA IF NOT EXISTS :"schema";
SET search_path = :"schema", public;
\endif

CREATE TABLE "User" (
    "id"        TEXT NOT NULL,
    "email"     TEXT NOT NULL,
    "name"      TEXT,
    "isActive"  BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

CREATE TABLE "Company" (
    "id"        TEXT NOT NULL,
    "name"      TEXT NOT NULL,
    "ownerId"   TEXT NOT NULL,              -- references "User"(id), but no FK yet
    "currency"  TEXT NOT NULL DEFAULT 'EUR',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Company_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Membership" (
    "id"        TEXT NOT NULL,
    "userId"    TEXT NOT NULL,
    "companyId" TEXT NOT NULL,
    "role"      TEXT NOT NULL DEFAULT 'MEMBER',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Membership_userId_companyId_key" ON "Membership"("userId", "companyId");

CREATE TABLE "Category" (
    "id"          TEXT NOT NULL,
    "companyId"   TEXT NOT NULL,
    "name"        TEXT NOT NULL,
    "description" TEXT,
    "createdAt"   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt"   TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Category_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Category_companyId_name_key" ON "Category"("companyId", "name");

CREATE TABLE "Ingredient" (
    "id"        TEXT NOT NULL,
    "companyId" TEXT NOT NULL,
    "name"      TEXT NOT NULL,
    "unit"      TEXT NOT NULL DEFAULT 'g',
    "packSize"  DECIMAL(12,3) NOT NULL DEFAULT 1,
    "packPrice" DECIMAL(10,2) NOT NULL,
    "supplier"  TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Ingredient_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Recipe" (
    "id"              TEXT NOT NULL,
    "companyId"       TEXT NOT NULL,
    "name"            TEXT NOT NULL,
    "description"     TEXT,
    "method"          TEXT,
    "category"        TEXT,                 -- legacy free text; maps to "Category".name
    "categoryId"      TEXT,                 -- new relation; NULL where not backfilled yet
    "sellingPrice"    DECIMAL(10,2),
    "yieldQuantity"   DECIMAL(12,3) NOT NULL DEFAULT 1,
    "yieldUnit"       TEXT NOT NULL DEFAULT 'portion',
    "prepTimeMinutes" INTEGER,
    "isArchived"      BOOLEAN NOT NULL DEFAULT false,
    "createdAt"       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt"       TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Recipe_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "RecipeSection" (
    "id"           TEXT NOT NULL,
    "recipeId"     TEXT NOT NULL,
    "name"         TEXT NOT NULL,
    "order"        INTEGER NOT NULL,
    "instructions" TEXT,
    "createdAt"    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt"    TIMESTAMP(3) NOT NULL,
    CONSTRAINT "RecipeSection_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "RecipeItem" (
    "id"           TEXT NOT NULL,
    "recipeId"     TEXT NOT NULL,
    "ingredientId" TEXT NOT NULL,
    "quantity"     DECIMAL(12,3) NOT NULL,
    "unit"         TEXT NOT NULL DEFAULT 'g',
    "notes"        TEXT,
    "createdAt"    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt"    TIMESTAMP(3) NOT NULL,
    CONSTRAINT "RecipeItem_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ProductionPlan" (
    "id"        TEXT NOT NULL,
    "companyId" TEXT NOT NULL,
    "name"      TEXT NOT NULL,
    "planDate"  TIMESTAMP(3) NOT NULL,
    "status"    TEXT NOT NULL DEFAULT 'DRAFT',
    "createdBy" TEXT NOT NULL,              -- references "User"(id), but no FK yet
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "ProductionPlan_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ProductionTask" (
    "id"          TEXT NOT NULL,
    "planId"      TEXT NOT NULL,
    "recipeId"    TEXT NOT NULL,
    "quantity"    DECIMAL(12,3) NOT NULL,
    "status"      TEXT NOT NULL DEFAULT 'PENDING',
    "assignedTo"  TEXT,                     -- references "User"(id), but no FK yet
    "dueAt"       TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "createdAt"   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt"   TIMESTAMP(3) NOT NULL,
    CONSTRAINT "ProductionTask_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "InventoryMovement" (
    "id"           TEXT NOT NULL,
    "companyId"    TEXT NOT NULL,
    "ingredientId" TEXT NOT NULL,
    "type"         TEXT NOT NULL,           -- PURCHASE | USAGE | WASTE | ADJUSTMENT
    "quantity"     DECIMAL(12,3) NOT NULL,  -- signed: usage and waste are negative
    "unitCost"     DECIMAL(10,2),
    "reference"    TEXT,
    "createdBy"    TEXT,                    -- references "User"(id), but no FK yet
    "createdAt"    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InventoryMovement_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "SalesRecord" (
    "id"          TEXT NOT NULL,
    "companyId"   TEXT NOT NULL,
    "recipeId"    TEXT NOT NULL,
    "saleDate"    TIMESTAMP(3) NOT NULL,
    "quantity"    DECIMAL(12,3) NOT NULL,
    "unitPrice"   DECIMAL(10,2) NOT NULL,
    "totalAmount" DECIMAL(12,2) NOT NULL,
    "channel"     TEXT NOT NULL DEFAULT 'SHOP',   -- SHOP | ONLINE | WHOLESALE
    "createdAt"   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SalesRecord_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ProductionHistory" (
    "id"               TEXT NOT NULL,
    "companyId"        TEXT NOT NULL,
    "recipeId"         TEXT NOT NULL,
    "productionDate"   TIMESTAMP(3) NOT NULL,
    "quantityProduced" DECIMAL(12,3) NOT NULL,
    "batchNumber"      TEXT,
    "notes"            TEXT,
    "createdAt"        TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProductionHistory_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Notification" (
    "id"        TEXT NOT NULL,
    "userId"    TEXT NOT NULL,
    "companyId" TEXT,
    "type"      TEXT NOT NULL,
    "title"     TEXT NOT NULL,
    "message"   TEXT,
    "isRead"    BOOLEAN NOT NULL DEFAULT false,
    "readAt"    TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "WholesaleOrder" (
    "id"           TEXT NOT NULL,
    "companyId"    TEXT NOT NULL,
    "customerName" TEXT NOT NULL,
    "status"       TEXT NOT NULL DEFAULT 'PENDING',  -- PENDING | CONFIRMED | SHIPPED | DELIVERED | CANCELLED
    "orderDate"    TIMESTAMP(3) NOT NULL,
    "deliveryDate" TIMESTAMP(3),
    "totalAmount"  DECIMAL(12,2) NOT NULL,
    "createdAt"    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt"    TIMESTAMP(3) NOT NULL,
    CONSTRAINT "WholesaleOrder_pkey" PRIMARY KEY ("id")
);

-- Foreign keys Prisma created from the relations in schema.prisma.
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey"
    FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_companyId_fkey"
    FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Category" ADD CONSTRAINT "Category_companyId_fkey"
    FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Ingredient" ADD CONSTRAINT "Ingredient_companyId_fkey"
    FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Recipe" ADD CONSTRAINT "Recipe_companyId_fkey"
    FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Recipe" ADD CONSTRAINT "Recipe_categoryId_fkey"
    FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "RecipeSection" ADD CONSTRAINT "RecipeSection_recipeId_fkey"
    FOREIGN KEY ("recipeId") REFERENCES "Recipe"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "RecipeItem" ADD CONSTRAINT "RecipeItem_recipeId_fkey"
    FOREIGN KEY ("recipeId") REFERENCES "Recipe"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "RecipeItem" ADD CONSTRAINT "RecipeItem_ingredientId_fkey"
    FOREIGN KEY ("ingredientId") REFERENCES "Ingredient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ProductionPlan" ADD CONSTRAINT "ProductionPlan_companyId_fkey"
    FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ProductionTask" ADD CONSTRAINT "ProductionTask_planId_fkey"
    FOREIGN KEY ("planId") REFERENCES "ProductionPlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ProductionTask" ADD CONSTRAINT "ProductionTask_recipeId_fkey"
    FOREIGN KEY ("recipeId") REFERENCES "Recipe"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "InventoryMovement" ADD CONSTRAINT "InventoryMovement_companyId_fkey"
    FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "InventoryMovement" ADD CONSTRAINT "InventoryMovement_ingredientId_fkey"
    FOREIGN KEY ("ingredientId") REFERENCES "Ingredient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SalesRecord" ADD CONSTRAINT "SalesRecord_companyId_fkey"
    FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SalesRecord" ADD CONSTRAINT "SalesRecord_recipeId_fkey"
    FOREIGN KEY ("recipeId") REFERENCES "Recipe"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ProductionHistory" ADD CONSTRAINT "ProductionHistory_companyId_fkey"
    FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ProductionHistory" ADD CONSTRAINT "ProductionHistory_recipeId_fkey"
    FOREIGN KEY ("recipeId") REFERENCES "Recipe"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey"
    FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_companyId_fkey"
    FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "WholesaleOrder" ADD CONSTRAINT "WholesaleOrder_companyId_fkey"
    FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
