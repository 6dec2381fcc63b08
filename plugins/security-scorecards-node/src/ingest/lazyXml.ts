import { BoundsBuilder, sourceText } from './lazyList';

/**
 * A list of an XML document to read lazily: a child element of the root
 * (`components`) and the elements in it that make the list (`component`),
 * by local name; they are matched with the root element's prefix.
 */
export interface LazyXmlListSpec {
  container: string;
  item: string;
}

/** The result of {@link scanXmlLists}. */
export interface XmlListScan {
  /** The qualified name of the root element, e.g. `cdx:bom`; undefined when there is none. */
  rootName?: string;
  /**
   * The document with the content of each container found left out (its
   * start and end tags kept), to be parsed whole: it is what remains when
   * the long lists are taken out.
   */
  skeleton: string;
  /**
   * For each spec, in order: where the items of its container start and
   * end (in pairs, in the units of the source: characters of a string,
   * bytes of a Buffer), or undefined when the root has no such container.
   */
  lists: Array<Uint32Array | undefined>;
}

/**
 * XML that fast-xml-parser's XMLParser would refuse: the message is the one
 * it gives, so that reading a document in parts reports what reading it
 * whole would.
 */
export class MalformedXmlError extends Error {}

const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const SLASH = 0x2f;
const QUESTION_MARK = 0x3f;
const EXCLAMATION_MARK = 0x21;
const DASH = 0x2d;
const OPEN_BRACKET = 0x5b;
const LETTER_D = 0x44;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isTagNameEnd(code: number): boolean {
  return isWhitespace(code) || code === GREATER_THAN;
}

/**
 * Tag names XMLParser refuses (as prototype pollution); checked here for
 * every tag, so that one inside a list element is refused as it is whole.
 */
const CRITICAL_NAMES = ['__proto__', 'constructor', 'prototype'];
const CRITICAL_INITIALS = new Set(
  CRITICAL_NAMES.map(name => name.charCodeAt(0)),
);

interface ContainerState {
  container: string;
  item: string;
  /** Whether the root's first element of this name was seen. */
  seen: boolean;
  contentStart: number;
  contentEnd: number;
  bounds?: BoundsBuilder;
}

/**
 * One pass over an XML document that finds, for each spec, the root's first
 * child element of the container name and, in it, where each item element
 * starts and ends. The rest of the document is returned as a skeleton.
 *
 * The document is read the way fast-xml-parser's XMLParser reads it, so that
 * an element parsed alone is the element it would find: comments end at the
 * first `-->`, CDATA sections (`<![`) at the first `]]>`, processing
 * instructions at the first `?>` outside quotes, end tags at the first `>`,
 * and start tags at the first `>` outside a quoted attribute value. Elements
 * nested in an item (components in a component) stay in it. An element name
 * is not checked against its end tag: the document is expected to have been
 * validated (XMLValidator) first.
 *
 * Markup is ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte
 * character, so the bytes of a Buffer are read as they are; the offsets are
 * then byte offsets.
 *
 * @param source - the document, as text or as UTF-8 bytes
 * @param specs - the lists to find
 * @param options - `start`: where to begin (after a byte order mark);
 *   `maxNestedTags`: the deepest element nesting accepted, as XMLParser counts it
 * @throws MalformedXmlError with XMLParser's message where XMLParser would throw
 */
export function scanXmlLists(
  source: string | Buffer,
  specs: readonly LazyXmlListSpec[],
  options: { start?: number; maxNestedTags: number },
): XmlListScan {
  const length = source.length;
  const code: (index: number) => number =
    typeof source === 'string'
      ? index => source.charCodeAt(index)
      : index => source[index];
  const start = options.start ?? 0;
  let rootName: string | undefined;
  let rootOpen = false;
  let containers: ContainerState[] = [];
  /** The container whose content is being read (the element open at depth 2). */
  let container: ContainerState | undefined;
  /** Where the item open at depth 3 started, or -1. */
  let itemStart = -1;
  /** The open elements, as XMLParser's stack counts them. */
  let depth = 0;
  let position = start;

  /** The name of the tag opened at `open`: up to whitespace or `>`, without a self-closing `/`. */
  const tagNameEnd = (open: number, close: number, selfClosing: boolean) => {
    let end = open + 1;
    while (end < close && !isTagNameEnd(code(end))) end++;
    return selfClosing && end === close ? end - 1 : end;
  };
  const tagName = (open: number, close: number, selfClosing: boolean) =>
    sourceText(source, open + 1, tagNameEnd(open, close, selfClosing));
  /** Refuses a tag name XMLParser refuses; its first character is tested first, as most names cannot be one. */
  const checkName = (from: number, to: number) => {
    if (!CRITICAL_INITIALS.has(code(from)) || to - from > 11) return;
    const name = sourceText(source, from, to);
    if (CRITICAL_NAMES.includes(name)) {
      throw new MalformedXmlError(
        `[SECURITY] Invalid name: "${name}" is a reserved JavaScript keyword that could cause prototype pollution`,
      );
    }
  };
  /** The `>` that ends a tag (or the `?` of a `?>`), skipping quoted values. */
  const tagEnd = (from: number, questionMark: boolean): number => {
    for (let index = from; index < length; index++) {
      const current = code(index);
      if (current === QUOTE || current === APOSTROPHE) {
        index = source.indexOf(current === QUOTE ? '"' : "'", index + 1);
        if (index < 0) return -1;
      } else if (questionMark) {
        if (current === QUESTION_MARK && code(index + 1) === GREATER_THAN)
          return index;
      } else if (current === GREATER_THAN) {
        return index;
      }
    }
    return -1;
  };

  while (position < length) {
    while (position < length && code(position) !== LESS_THAN) position++;
    if (position >= length) break;
    const open = position;
    const next = code(open + 1);
    if (next === SLASH) {
      const close = source.indexOf('>', open);
      if (close < 0) throw new MalformedXmlError('Closing Tag is not closed.');
      // XMLParser trims the name of an end tag.
      let nameStart = open + 2;
      let nameEnd = close;
      while (nameStart < nameEnd && isWhitespace(code(nameStart))) nameStart++;
      while (nameEnd > nameStart && isWhitespace(code(nameEnd - 1))) nameEnd--;
      checkName(nameStart, nameEnd);
      if (depth > 0) depth--;
      if (depth === 2 && itemStart >= 0) {
        container!.bounds!.push(itemStart, close + 1);
        itemStart = -1;
      } else if (depth === 1 && container) {
        container.contentEnd = open;
        container = undefined;
      } else if (depth === 0 && rootOpen) {
        // Only the first root's children are read as lists.
        rootOpen = false;
      }
      position = close + 1;
    } else if (next === QUESTION_MARK) {
      const close = tagEnd(open + 1, true);
      if (close < 0) throw new MalformedXmlError('Pi Tag is not closed.');
      position = close + 2;
    } else if (
      next === EXCLAMATION_MARK &&
      code(open + 2) === DASH &&
      code(open + 3) === DASH
    ) {
      const close = source.indexOf('-->', open + 4);
      if (close < 0) throw new MalformedXmlError('Comment is not closed.');
      position = close + 3;
    } else if (next === EXCLAMATION_MARK && code(open + 2) === LETTER_D) {
      // A DOCTYPE is refused before the scan; anything else here is not one.
      throw new MalformedXmlError('Invalid Tag instead of DOCTYPE');
    } else if (next === EXCLAMATION_MARK && code(open + 2) === OPEN_BRACKET) {
      const close = source.indexOf(']]>', open);
      if (close < 0) throw new MalformedXmlError('CDATA is not closed.');
      position = close + 3;
    } else {
      const close = tagEnd(open + 1, false);
      if (close < 0) {
        throw new MalformedXmlError(`Tag at position ${open} is not closed.`);
      }
      const selfClosing = close > open + 1 && code(close - 1) === SLASH;
      checkName(open + 1, tagNameEnd(open, close, selfClosing));
      if (depth === 0 && rootName === undefined) {
        rootName = tagName(open, close, selfClosing);
        const separator = rootName.indexOf(':');
        const prefix = separator >= 0 ? rootName.slice(0, separator + 1) : '';
        rootOpen = !selfClosing;
        containers = specs.map(spec => ({
          container: `${prefix}${spec.container}`,
          item: `${prefix}${spec.item}`,
          seen: false,
          contentStart: -1,
          contentEnd: -1,
        }));
      } else if (depth === 1 && rootOpen) {
        const name = tagName(open, close, selfClosing);
        const found = containers.find(
          candidate => !candidate.seen && candidate.container === name,
        );
        if (found) {
          found.seen = true;
          found.bounds = new BoundsBuilder();
          if (!selfClosing) {
            found.contentStart = close + 1;
            container = found;
          }
        }
      } else if (depth === 2 && container) {
        if (tagName(open, close, selfClosing) === container.item) {
          if (selfClosing) container.bounds!.push(open, close + 1);
          else itemStart = open;
        }
      }
      if (!selfClosing) {
        if (depth > options.maxNestedTags) {
          throw new MalformedXmlError('Maximum nested tags exceeded');
        }
        depth++;
      }
      position = close + 1;
    }
  }

  // A container left open (which validation rules out) is not cut out:
  // the skeleton keeps it, to be read with the rest.
  const lists = specs.map((_spec, index): Uint32Array | undefined => {
    const state = containers[index] as ContainerState | undefined;
    if (!state?.seen) return undefined;
    if (state.contentStart >= 0 && state.contentEnd < 0) return undefined;
    return state.bounds!.finish();
  });
  const cuts = containers
    .filter(
      (state, index) => lists[index] !== undefined && state.contentStart >= 0,
    )
    .sort((a, b) => a.contentStart - b.contentStart);
  const pieces: string[] = [];
  let kept = start;
  for (const state of cuts) {
    pieces.push(sourceText(source, kept, state.contentStart));
    kept = state.contentEnd;
  }
  pieces.push(sourceText(source, kept, length));
  return {
    ...(rootName !== undefined ? { rootName } : {}),
    skeleton: pieces.join(''),
    lists,
  };
}
