/**
 * Links to the sections of a long page. The URL's fragment holds the console's route, so these
 * scroll to the section and move the focus to its heading instead of changing the fragment.
 */
export function JumpNav({ sections }: { sections: ReadonlyArray<{ id: string; label: string }> }) {
  return (
    <nav class="jump-nav" aria-label="On this page">
      <ul>
        {sections.map((section) => (
          <li key={section.id}>
            <button
              type="button"
              class="jump-link"
              onClick={() => {
                const heading = document.getElementById(`${section.id}-title`);
                if (!heading) return;
                heading.setAttribute('tabindex', '-1');
                heading.scrollIntoView({ block: 'start' });
                heading.focus({ preventScroll: true });
              }}
            >
              {section.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
