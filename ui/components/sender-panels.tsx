// Which sender dialog is open (replay, bulk replay, send, forwarding, check), rendered
// with the state it needs. One at a time; Esc or the close button returns to the list.
import type { DeliveryDetail, Health } from '../../server/common/protocol.ts';
import type { Api } from '../api.ts';
import type { BulkJob } from '../hooks/use-bulk-job.ts';
import type { Checks } from '../hooks/use-checks.ts';
import type { Forwarding } from '../hooks/use-forwarding.ts';
import type { SendJob } from '../hooks/use-send-job.ts';
import { BulkReplayDialog } from './bulk-replay-dialog.tsx';
import { CheckDialog } from './check-dialog.tsx';
import { ForwardingDialog } from './forwarding-dialog.tsx';
import { ReplayDialog } from './replay-dialog.tsx';
import { SendDialog } from './send-dialog.tsx';

export type Panel =
  | { kind: 'replay'; detail: DeliveryDetail; edit: boolean }
  | { kind: 'bulk' }
  | { kind: 'send' }
  | { kind: 'forwarding' }
  | { kind: 'check' };

interface Props {
  panel: Panel | null;
  api: Api;
  health: Health | null;
  q: string;
  total: number | undefined;
  recent: { recent: string[]; remember(url: string): void };
  bulk: BulkJob;
  sendJob: SendJob;
  checks: Checks;
  forwarding: Forwarding;
  onOpenDelivery(id: number): void;
  /** Close the dialog and set the search: "show the failed ones". */
  onShowQuery(q: string): void;
  onClose(): void;
}

export function SenderPanels(props: Props) {
  const { panel, api, recent, onClose } = props;
  if (panel === null) return null;
  const targets = { recent: recent.recent, onRemember: recent.remember, onClose };
  switch (panel.kind) {
    case 'replay':
      return <ReplayDialog key={panel.detail.id} api={api} detail={panel.detail} edit={panel.edit} {...targets} />;
    case 'bulk':
      return <BulkReplayDialog bulk={props.bulk} q={props.q} total={props.total} onShowQuery={props.onShowQuery} {...targets} />;
    case 'send':
      return (
        <SendDialog
          api={api}
          health={props.health}
          sendJob={props.sendJob}
          {...targets}
          onOpenDelivery={(id) => {
            onClose();
            props.onOpenDelivery(id);
          }}
        />
      );
    case 'forwarding':
      return <ForwardingDialog forwarding={props.forwarding} api={api} onShowQuery={props.onShowQuery} {...targets} />;
    case 'check':
      return <CheckDialog api={api} checks={props.checks} sinks={props.health?.sinks ?? null} {...targets} />;
  }
}
