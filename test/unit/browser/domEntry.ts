// Bundled for Chromium by dom.test.ts: exposes the client's DOM functions to page.evaluate.
import { describeElement } from '../../../src/browser/elementContext';
import { navigate } from '../../../src/browser/picker';
import { sanitizedOuterHTML, sanitizeTree } from '../../../src/browser/sanitize';
import { blockFromSource, locateElement, mountBlock } from '../../../src/browser/sourceMount';
import {
  applyKnobs,
  findBlock,
  knobsOf,
  markupVisible,
  sessionsInPage,
  showVariant,
} from '../../../src/browser/variantsDom';

Object.assign(window, {
  lv: {
    applyKnobs,
    blockFromSource,
    describeElement,
    findBlock,
    knobsOf,
    locateElement,
    markupVisible,
    mountBlock,
    navigate,
    sanitizedOuterHTML,
    sanitizeTree,
    sessionsInPage,
    showVariant,
  },
});
