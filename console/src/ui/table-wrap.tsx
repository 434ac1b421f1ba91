import type { ComponentChildren } from 'preact';

/**
 * A wide table scrolls sideways in its own region, which keyboard users can focus and scroll
 * (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard
    <section class="table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
