export { compileFilter } from "./compile";
export { compileSortKey } from "./sort";
export { FilterError } from "./types";
export type {
  AttrNode,
  AttributeMap,
  CompiledSql,
  CompileOptions,
  ComplexAttr,
  MultiAttr,
  RelationAttr,
  ScalarAttr,
  ScalarKind,
  SubAttr,
} from "./types";
