/** The reader's output: plain data, JSON-ready, with types already printed in WAT notation for display. */
import type { ReadWarning } from './errors';

export type ExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export interface SectionInfo {
  id: number;
  /** `type`, `import`, ... for known sections; `custom:<name>` for custom ones. */
  name: string;
  /** Offset of the section's id byte in the file. */
  offset: number;
  /** Offset of the first payload byte. */
  payloadOffset: number;
  /** Payload size in bytes (what the section header declares). */
  size: number;
}

export interface FieldType {
  /** `i8`, `i16` (packed) or a value type. */
  storage: string;
  mutable: boolean;
}

export type CompositeType =
  { kind: 'func'; params: string[]; results: string[] } | { kind: 'struct'; fields: FieldType[] } | { kind: 'array'; element: FieldType };

export interface TypeDefinition {
  index: number;
  /** Index of the recursion group this type belongs to (each type outside an explicit `rec` is its own group). */
  recGroup: number;
  /** Whether the group was written with an explicit `rec` (GC); lone MVP types have false. */
  explicitRec: boolean;
  final: boolean;
  supertypes: number[];
  composite: CompositeType;
}

export interface Limits {
  min: number;
  max?: number;
  /** 64-bit addressing (memory64 / table64). */
  is64: boolean;
  shared: boolean;
  /** Custom page size (log2), when declared. */
  pageSizeLog2?: number;
}

export interface TableType {
  element: string;
  limits: Limits;
}

export interface GlobalType {
  valueType: string;
  mutable: boolean;
}

export type ImportDescriptor =
  | { kind: 'func'; typeIndex: number }
  | { kind: 'table'; table: TableType }
  | { kind: 'memory'; memory: Limits }
  | { kind: 'global'; global: GlobalType }
  | { kind: 'tag'; typeIndex: number };

export interface Import {
  module: string;
  name: string;
  kind: ExternKind;
  /** Full signature in WAT notation, e.g. `(func (param i32 i32) (result i32))`. */
  type: string;
  descriptor: ImportDescriptor;
  /** Index in its kind's index space (imports come first). */
  index: number;
}

export interface Export {
  name: string;
  kind: ExternKind;
  index: number;
  type: string;
  /** Name of the exported item from the `name` section, when there is one. */
  internalName?: string;
}

export interface ProducerValue {
  name: string;
  version: string;
}

/** The `producers` custom section: `language`, `processed-by`, `sdk` and any other fields. */
export type Producers = Record<string, ProducerValue[]>;

export interface TargetFeature {
  /** `+` used, `-` must not be used, `=` required (older toolchains). */
  prefix: '+' | '-' | '=';
  name: string;
}

export interface DylinkInfo {
  memorySize?: number;
  memoryAlignment?: number;
  tableSize?: number;
  tableAlignment?: number;
  neededDynlibs: string[];
}

export interface CustomSection {
  name: string;
  offset: number;
  size: number;
  /** What the reader understood of it: `name`, `producers`, `dwarf`, `linking`, ..., or `other`. */
  category: CustomCategory;
}

export type CustomCategory =
  | 'name'
  | 'producers'
  | 'target-features'
  | 'dwarf'
  | 'source-map'
  | 'external-debug-info'
  | 'linking'
  | 'relocation'
  | 'dylink'
  | 'component-type'
  | 'build-id'
  | 'other';

export interface NameMap {
  module?: string;
  functions: Record<number, string>;
  types: Record<number, string>;
  tables: Record<number, string>;
  memories: Record<number, string>;
  globals: Record<number, string>;
  tags: Record<number, string>;
}

export interface FunctionBody {
  index: number;
  name?: string;
  offset: number;
  size: number;
}

export interface FunctionsSummary {
  imported: number;
  defined: number;
  /** Bytes of the code section, bodies included. */
  codeBytes: number;
  /** Present only when the reader was asked for body sizes. */
  bodies?: FunctionBody[];
}

export interface ModuleInfo {
  kind: 'module';
  /** Where the module starts in the file (non-zero for modules nested in a component). */
  offset: number;
  sizeBytes: number;
  sections: SectionInfo[];
  types: TypeDefinition[];
  imports: Import[];
  exports: Export[];
  functions: FunctionsSummary;
  tables: TableType[];
  memories: Limits[];
  globals: GlobalType[];
  tags: number[];
  start?: number;
  elementSegments: number;
  dataSegments: number;
  dataCount?: number;
  customSections: CustomSection[];
  names: NameMap;
  producers?: Producers;
  targetFeatures?: TargetFeature[];
  sourceMappingURL?: string;
  externalDebugInfo?: string;
  dylink?: DylinkInfo;
  /** Version of the `linking` section: present in relocatable object files. */
  linkingVersion?: number;
  warnings: ReadWarning[];
  /**
   * Parts the reader steps over on purpose without decoding them (function bodies: an engine validates
   * those), so that a report can say what was not checked.
   */
  unchecked?: UncheckedPart[];
}

export interface UncheckedPart {
  part: 'function bodies';
  offset: number;
  size: number;
}

export type ComponentItemKind = 'module' | 'func' | 'value' | 'type' | 'component' | 'instance';

export interface ComponentImport {
  name: string;
  kind: ComponentItemKind;
  /** Index into the component's type space for the imported item's type, when it has one. */
  typeIndex?: number;
}

export interface ComponentExport {
  name: string;
  kind: ComponentItemKind | `core ${string}`;
  index: number;
}

export interface NestedModule {
  offset: number;
  sizeBytes: number;
  module: ModuleInfo;
}

export interface ComponentInfo {
  kind: 'component';
  offset: number;
  sizeBytes: number;
  sections: SectionInfo[];
  imports: ComponentImport[];
  exports: ComponentExport[];
  coreModules: NestedModule[];
  components: ComponentInfo[];
  customSections: CustomSection[];
  producers?: Producers;
  warnings: ReadWarning[];
}

export type WasmBinary = ModuleInfo | ComponentInfo;
