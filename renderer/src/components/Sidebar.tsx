import { SECTION_LABELS, SECTIONS, routeToHash, sectionShown, type Section } from '../../../shared/routes';
import { useApp } from '../store';
import { Icon } from './Icon';
import { StatusArea } from './StatusArea';

const MOD = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';

/** A count beside a section's name: read with it as "Notifications, 3 unread". */
function NavBadge({ count, words, testId }: { count: number; words: string; testId: string }) {
  if (count === 0) return null;
  return (
    <span className="nav-badge" role="img" aria-label={`${count.toLocaleString()} ${words}`} data-testid={testId}>
      {count > 99 ? '99+' : count}
    </span>
  );
}

function SectionBadge({ section }: { section: Section }) {
  const unread = useApp((state) => state.status?.unread ?? 0);
  const waiting = useApp((state) => state.reviewsWaiting ?? 0);
  if (section === 'notifications') return <NavBadge count={unread} words="unread" testId="unread-badge" />;
  if (section === 'reviews') return <NavBadge count={waiting} words="waiting" testId="reviews-badge" />;
  return null;
}

export function Sidebar() {
  const current = useApp((state) => state.route.section);
  const sandbox = useApp((state) => state.info?.sandboxWorkspace);
  const user = useApp((state) => state.status?.user ?? null);
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">AC</span>
        <span className="brand-name">Annotator Companion</span>
      </div>
      {sandbox && (
        <p className="sandbox-badge" title="A File 360 stand-in running on this computer, with sample assignments. Nothing here is real work.">
          Sandbox workspace
        </p>
      )}
      <nav aria-label="Sections">
        <ul className="nav-list">
          {/* A hidden section keeps its number: the shortcuts are the same for everyone. */}
          {SECTIONS.map(
            (section, index) =>
              sectionShown(section, user) && (
                <li key={section}>
                  <a
                    href={routeToHash({ section })}
                    className="nav-item"
                    aria-current={current === section ? 'page' : undefined}
                    aria-keyshortcuts={`Control+${index + 1}`}
                    title={`${SECTION_LABELS[section]} (${MOD}${index + 1})`}
                    data-section={section}
                  >
                    <Icon name={section} />
                    <span>{SECTION_LABELS[section]}</span>
                    <SectionBadge section={section} />
                  </a>
                </li>
              ),
          )}
        </ul>
      </nav>
      <StatusArea />
    </aside>
  );
}
