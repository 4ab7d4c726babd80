import { SECTION_LABELS, SECTIONS, routeToHash } from '../../../shared/routes';
import { useApp } from '../store';
import { Icon } from './Icon';
import { StatusArea } from './StatusArea';

const MOD = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';

function UnreadBadge() {
  const unread = useApp((state) => state.status?.unread ?? 0);
  if (unread === 0) return null;
  return (
    <span className="nav-badge" role="img" aria-label={`${unread.toLocaleString()} unread`} data-testid="unread-badge">
      {unread > 99 ? '99+' : unread}
    </span>
  );
}

export function Sidebar() {
  const current = useApp((state) => state.route.section);
  const sandbox = useApp((state) => state.info?.sandboxWorkspace);
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
          {SECTIONS.map((section, index) => (
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
                {section === 'notifications' && <UnreadBadge />}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <StatusArea />
    </aside>
  );
}
