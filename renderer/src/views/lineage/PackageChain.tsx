import { useId, type ReactNode } from 'react';
import type { LineagePackage } from '../../../../shared/api/schemas/lineage';
import type { OutboxState } from '../../../../shared/api/schemas/outbox';
import { formatBytes, formatDateTime, plural } from '../../format';
import { Copyable, Person, When } from './bits';
import { EscalationChain } from './EscalationChain';

const TRIGGER_WORDS: Record<LineagePackage['trigger'], string> = {
  manual: 'exported by hand',
  'session-stopped': 'exported when the session stopped',
  'before-expiry': 'sent ahead of the expiry',
  'before-wipe': 'exported before the files were removed',
};

const UPLOAD_WORDS: Record<OutboxState, string> = {
  queued: 'Waiting to upload',
  sending: 'Uploading',
  sent: 'Uploaded to File 360',
  failed: 'Upload failed',
  discarded: 'Not uploaded (discarded)',
};

function Step({ title, note, children }: { title: string; note?: string; children: ReactNode }) {
  const id = useId();
  return (
    <li className="lineage-step" aria-labelledby={id}>
      <h3 id={id} className="lineage-step-title">
        {title}
        {note && <span className="muted lineage-step-note"> · {note}</span>}
      </h3>
      {children}
    </li>
  );
}

function Sources({ sources }: { sources: LineagePackage['sources'] }) {
  return (
    <div className="table-wrap">
      <table className="table lineage-table">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">File 360 id</th>
            <th scope="col">Version</th>
            <th scope="col">sha256</th>
            <th scope="col" className="num">
              Answers
            </th>
          </tr>
        </thead>
        <tbody>
          {sources.map((source) => (
            <tr key={`${source.fileId}:${source.sha256}`} data-testid="lineage-source">
              <td className="lineage-path">{source.path}</td>
              <td>
                <code>{source.fileId}</code>
              </td>
              <td>{source.version === null ? <span className="warn-text">changed since</span> : `v${source.version}`}</td>
              <td>
                <Copyable value={source.sha256} label="sha256" />
              </td>
              <td className="num">{source.answers.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Sessions({ sessions }: { sessions: LineagePackage['sessions'] }) {
  return (
    <ul className="lineage-items">
      {sessions.map((session) => (
        <li key={session.id} className="lineage-item" data-testid="lineage-session">
          <div>
            <code>{session.id}</code> <span className="muted">in dataset</span> <code>{session.dataset}</code>
          </div>
          <div>
            Annotator: <Person person={session.annotator} organisation={session.annotator.organisation} />
          </div>
          <div className="lineage-counts">
            <strong>{plural(session.counts.total, 'answer')}</strong>: {session.counts.accept} accepted · {session.counts.reject} rejected · {session.counts.ignore} skipped ·{' '}
            {session.counts.flagged} flagged
          </div>
          {session.firstAnswerAt && session.lastAnswerAt && (
            <div className="muted small">
              Answered {formatDateTime(session.firstAnswerAt)}
              {session.lastAnswerAt !== session.firstAnswerAt && ` – ${formatDateTime(session.lastAnswerAt)}`}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

function Package({ pkg }: { pkg: LineagePackage }) {
  const { name, sha256, size, upload } = pkg.package;
  return (
    <dl className="facts lineage-facts">
      <div>
        <dt>File</dt>
        <dd>
          <code>{name}</code> · {formatBytes(size)}
        </dd>
      </div>
      <div>
        <dt>sha256</dt>
        <dd>
          <Copyable value={sha256} label="Package sha256" />
        </dd>
      </div>
      <div>
        <dt>Upload</dt>
        <dd data-testid="lineage-upload">
          <span className={`badge upload-${upload.state}`}>{UPLOAD_WORDS[upload.state]}</span> {upload.at && <When iso={upload.at} />}
        </dd>
      </div>
      {upload.fileId && (
        <div>
          <dt>File 360 id</dt>
          <dd>
            <Copyable value={upload.fileId} label="File 360 id" keep={16} />
          </dd>
        </div>
      )}
    </dl>
  );
}

/** One package's lineage, as the steps it went through. */
export function PackageChain({ pkg }: { pkg: LineagePackage }) {
  const id = useId();
  return (
    <article className="card" aria-labelledby={id} data-testid="lineage-package">
      <header className="lineage-card-head">
        <h2 id={id} className="lineage-card-title">
          Package {pkg.exportId}
        </h2>
        <span className="muted">
          {TRIGGER_WORDS[pkg.trigger]}, <When iso={pkg.createdAt} />
        </span>
      </header>
      <ol className="lineage-chain">
        <Step title="Source files" note={`${plural(pkg.sources.length, 'file')} from File 360`}>
          <Sources sources={pkg.sources} />
        </Step>
        <Step title="Prodigy sessions" note={plural(pkg.sessions.length, 'session')}>
          <Sessions sessions={pkg.sessions} />
        </Step>
        <Step title="Package">
          <Package pkg={pkg} />
        </Step>
        <Step title="Escalations, decisions and the reviewed dataset" note={pkg.escalations.length === 0 ? 'nothing escalated' : plural(pkg.escalations.length, 'item')}>
          {pkg.escalations.length > 0 && <EscalationChain escalations={pkg.escalations} />}
        </Step>
      </ol>
    </article>
  );
}
