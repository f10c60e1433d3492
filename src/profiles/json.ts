import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { InputError } from '../errors.js';
import { stripBom } from '../text.js';

/** 1-based line of a character offset. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const WHAT: Record<string, string> = {
  InvalidSymbol: 'unexpected text',
  ValueExpected: 'a value was expected',
  PropertyNameExpected: 'a quoted field name was expected',
  ColonExpected: "a ':' was expected",
  CommaExpected: "a ',' was expected",
  CloseBraceExpected: "a '}' was expected",
  CloseBracketExpected: "a ']' was expected",
  EndOfFileExpected: 'text after the end of the JSON value',
  UnexpectedEndOfString: 'a string is not closed',
  InvalidCommentToken: 'comments are not allowed in JSON',
};

/**
 * Parses strict JSON, reporting the first syntax error with file and line: Node's
 * JSON.parse names no position on Node 20, and users need the line to fix a file.
 * A leading byte-order mark is skipped.
 */
export function parseJsonText(source: string, file: string): unknown {
  const text = stripBom(source);
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  if (errors.length > 0) {
    const e = errors[0];
    const code = printParseErrorCode(e.error);
    throw new InputError(`not valid JSON: ${WHAT[code] ?? code}`, file, lineOf(text, e.offset));
  }
  return value;
}
