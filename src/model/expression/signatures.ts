// The documented functions and how many arguments each takes (entra-docs functions-for-customizing-application-data.md).

/** [fewest, most] arguments; `Infinity` for the repeating ones. Names are case-sensitive, as the page says. */
export const SIGNATURES = {
  Append: [2, 2],
  AppRoleAssignmentsComplex: [1, 1],
  // customize-application-attributes.md, "AssertiveAppRoleAssignmentsComplex": the PATCH-replace variant.
  AssertiveAppRoleAssignmentsComplex: [1, 1],
  BitAnd: [2, 2],
  CBool: [1, 1],
  CDate: [1, 1],
  Coalesce: [1, Infinity],
  ConvertToBase64: [1, 1],
  ConvertToUTF8Hex: [1, 1],
  Count: [1, 1],
  CStr: [1, 1],
  DateAdd: [3, 3],
  DateDiff: [3, 3],
  DateFromNum: [1, 1],
  FormatDateTime: [3, 4],
  Guid: [0, 0],
  IgnoreFlowIfNullOrEmpty: [1, 1],
  IIF: [3, 3],
  InStr: [2, 4],
  IsNull: [1, 1],
  IsNullOrEmpty: [1, 1],
  IsPresent: [1, 1],
  IsString: [1, 1],
  Item: [2, 2],
  Join: [2, Infinity],
  Left: [2, 2],
  Mid: [3, 3],
  NormalizeDiacritics: [1, 1],
  Not: [1, 1],
  Now: [0, 0],
  NumFromDate: [1, 1],
  PCase: [1, 2],
  RandomString: [5, 6],
  Redact: [1, 1],
  RemoveDuplicates: [1, 1],
  Replace: [2, 7],
  SelectUniqueValue: [2, Infinity],
  SingleAppRoleAssignment: [1, 1],
  Split: [2, 2],
  StripSpaces: [1, 1],
  Switch: [4, Infinity],
  ToLower: [1, 2],
  ToUpper: [1, 2],
  Word: [3, 3],
} as const satisfies Record<string, readonly [number, number]>;

export type FunctionName = keyof typeof SIGNATURES;

export const isFunctionName = (name: string): name is FunctionName => Object.hasOwn(SIGNATURES, name);

/** Bare names the page uses as arguments (InStr's compareType). */
export const CONSTANT_NAMES = ["vbBinaryCompare", "vbTextCompare"] as const;
