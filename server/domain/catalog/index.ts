import {
  type Branch,
  branches,
  type Category,
  categories,
  type Label,
  labels,
} from "../../../drizzle/schema/index.js";
import { catalogVerbs } from "./crud.js";
import {
  createBranchSchema,
  createCategorySchema,
  createLabelSchema,
  updateBranchSchema,
  updateCategorySchema,
  updateLabelSchema,
} from "./schemas.js";

export * from "./schemas.js";
export { seedDefaults } from "./seed.js";

const branchVerbs = catalogVerbs<Branch>({
  entity: "branch",
  table: branches,
  create: createBranchSchema,
  update: updateBranchSchema,
  orderBy: [branches.code],
});
export const listBranches = branchVerbs.list;
export const createBranch = branchVerbs.create;
export const updateBranch = branchVerbs.update;
export const deactivateBranch = branchVerbs.deactivate;

const categoryVerbs = catalogVerbs<Category>({
  entity: "category",
  table: categories,
  create: createCategorySchema,
  update: updateCategorySchema,
  orderBy: [categories.sortOrder, categories.code],
});
export const listCategories = categoryVerbs.list;
export const createCategory = categoryVerbs.create;
export const updateCategory = categoryVerbs.update;
export const deactivateCategory = categoryVerbs.deactivate;

const labelVerbs = catalogVerbs<Label>({
  entity: "label",
  table: labels,
  create: createLabelSchema,
  update: updateLabelSchema,
  orderBy: [labels.name],
});
export const listLabels = labelVerbs.list;
export const createLabel = labelVerbs.create;
export const updateLabel = labelVerbs.update;
export const deactivateLabel = labelVerbs.deactivate;
