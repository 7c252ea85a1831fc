// The reviewer's workspace, for a case they may give an opinion on: the photos fill most of the screen and the
// clinical details stay beside the opinion form, all in view without scrolling on a laptop screen (1440 x 900);
// the rest of the case follows below. On a narrow screen it stacks.
import { h } from '../../dom.js';
import { t } from '../../i18n.js';

/** @typedef {import('../../../../types.js').Child} Child */

/**
 * @param {{ photos: HTMLElement, aside: Child, more: Child }} parts
 * @returns {{ el: HTMLElement, destroy: () => void }}
 */
export function workspaceLayout({ photos, aside, more }) {
  const workspace = h(
    'div',
    { class: 'workspace', id: 'workspace' },
    h('div', { class: 'workspace-photos' }, photos),
    h('div', { class: 'workspace-aside', role: 'region', 'aria-label': t('web-case.workspace.aside'), tabindex: '-1' }, aside),
  );
  // The workspace reaches down to the bottom of the window from wherever it starts (below the heading, and any
  // message above it); CSS cannot know that height.
  const fit = () => {
    const top = workspace.getBoundingClientRect().top + window.scrollY;
    if (top > 0) workspace.style.setProperty('--workspace-top', `${Math.round(top)}px`);
  };
  const observer = new ResizeObserver(fit);
  observer.observe(document.body);
  window.addEventListener('resize', fit);
  return {
    el: h('div', { class: 'workspace-page' }, workspace, h('div', { class: 'workspace-more' }, more)),
    destroy() {
      observer.disconnect();
      window.removeEventListener('resize', fit);
    },
  };
}
