// The inspector: header, facets | list | detail. Wires the URL state, the live feed, the
// open delivery and the keyboard together; the parts themselves live in components/.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApi } from './api.ts';
import { copyText } from './clipboard.ts';
import { ActivityChart } from './components/activity-chart.tsx';
import { DeliveryList } from './components/delivery-list.tsx';
import { DetailPane } from './components/detail-pane.tsx';
import { ConfirmDialog, KeysHelp, TextDialog, type ConfirmRequest } from './components/dialogs.tsx';
import { FirstDeliveryHelp, NoMatches } from './components/empty-state.tsx';
import { FacetPanel } from './components/facet-panel.tsx';
import { HeaderBar } from './components/header-bar.tsx';
import { HeaderTools } from './components/header-tools.tsx';
import { ListToolbar } from './components/list-toolbar.tsx';
import { ListSplitter } from './components/list-splitter.tsx';
import { isModalOpen } from './components/modal.tsx';
import { SenderPanels, type Panel } from './components/sender-panels.tsx';
import { SearchBar } from './components/search-bar.tsx';
import { OutputsDialog } from './components/outputs-dialog.tsx';
import { CoverageDialog } from './components/coverage-dialog.tsx';
import { mergeLive } from './state/siem-outputs.ts';
import type { OutputSummary } from '../server/common/protocol.ts';
import { useBulkJob } from './hooks/use-bulk-job.ts';
import { useChecks } from './hooks/use-checks.ts';
import { useDeliveryFeed } from './hooks/use-delivery-feed.ts';
import { useForwarding } from './hooks/use-forwarding.ts';
import { useRecentTargets } from './hooks/use-recent-targets.ts';
import { useSendJob } from './hooks/use-send-job.ts';
import { useDetail } from './hooks/use-detail.ts';
import { useEventTypes } from './hooks/use-event-types.ts';
import { useKeyboard } from './hooks/use-keyboard.ts';
import { useToast } from './hooks/use-toast.ts';
import { useUrlState } from './hooks/use-url-state.ts';
import { countOf } from './state/format.ts';
import { isEditable } from './state/keys.ts';
import { moveSelection } from './state/selection.ts';
import { toggleFacetToken, type QueryField } from './state/query.ts';
import { withTimeRange } from './state/time-range.ts';

export function App() {
  const api = useMemo(() => createApi(), []);
  const url = useUrlState();
  const detail = useDetail(api, url.id);
  const bulk = useBulkJob(api);
  const sendJob = useSendJob(api);
  const checks = useChecks(api);
  const eventTypes = useEventTypes(api);
  const recent = useRecentTargets();
  const [panel, setPanel] = useState<Panel | null>(null);
  // SIEM outputs streamed since the page loaded (newest 500): for the open delivery and the outputs list.
  const [liveOutputs, setLiveOutputs] = useState<OutputSummary[]>([]);
  const [outputsToken, setOutputsToken] = useState(0);
  const [outputsOpen, setOutputsOpen] = useState(false);
  const [coverageOpen, setCoverageOpen] = useState(false);
  // Narrow windows: the facets are a drawer over the list.
  const [drawerOpen, setDrawerOpen] = useState(false);
  const forwarding = useForwarding(api, panel?.kind === 'forwarding' ? 2000 : 15_000);
  const feed = useDeliveryFeed(api, url.q, {
    onAttempt: detail.addAttempt,
    onDeleted: detail.markDeleted,
    // Each keeps only the job it started: a bulk replay, or the Send panel's send.
    onJob: (job) => {
      bulk.receive(job);
      sendJob.receive(job);
    },
    onCheck: checks.receive,
    onOutput: (message) => {
      setLiveOutputs((prev) => mergeLive(prev, message));
      setOutputsToken((n) => n + 1);
    },
  });
  const [selectedId, setSelectedId] = useState<number | null>(url.id);
  const [help, setHelp] = useState(false);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [textDialog, setTextDialog] = useState<{ title: string; text: string } | null>(null);
  const toast = useToast();
  const searchRef = useRef<HTMLInputElement>(null);
  const items = feed.list.items;

  // Back/forward (or a link) opened another delivery: move the list selection with it.
  useEffect(() => {
    if (url.id !== null) setSelectedId(url.id);
  }, [url.id]);

  const open = useCallback(
    (id: number | null) => {
      setSelectedId(id);
      url.setOpenId(id);
    },
    [url.setOpenId],
  );

  const copy = useCallback(
    async (text: string, what: string) => {
      if (await copyText(text)) toast.show(`${what} copied`);
      else setTextDialog({ title: what, text });
    },
    [toast.show],
  );

  const onToggleFacet = useCallback(
    (field: QueryField, value: string, exclude: boolean) => url.setQuery(toggleFacetToken(url.q, field, value, exclude)),
    [url.q, url.setQuery],
  );

  const copyCurl = useCallback(
    async (id: number) => {
      try {
        await copy(await api.curl(id), 'cURL command');
      } catch (err) {
        toast.show(`Could not build the curl command: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    [api, copy, toast.show],
  );

  const deleteOne = useCallback(
    (id: number) =>
      setConfirm({
        title: `Delete delivery #${id}?`,
        message: 'Its body, headers and attempts are removed from the database. This cannot be undone.',
        confirmLabel: 'Delete',
        run: async () => {
          const next = moveSelection(items, id, 1) === id ? moveSelection(items, id, -1) : moveSelection(items, id, 1);
          try {
            await api.deleteOne(id);
            feed.removeLocal([id]);
            open(next === id ? null : next);
            toast.show(`Deleted #${id}`);
          } catch (err) {
            toast.show(`Delete failed: ${err instanceof Error ? err.message : String(err)}`);
          }
        },
      }),
    [api, items, feed.removeLocal, open, toast.show],
  );

  const deleteMatching = useCallback(
    (all: boolean) => {
      const count = all ? feed.health?.deliveries : feed.facets?.total;
      setConfirm({
        title: all ? 'Clear all deliveries?' : 'Delete every matching delivery?',
        message: all
          ? `All ${count !== undefined ? countOf(count, 'stored delivery', 'stored deliveries') : 'stored deliveries'} ${count === 1 ? 'is' : 'are'} deleted. This cannot be undone.`
          : `${count !== undefined ? countOf(count, 'delivery', 'deliveries') : 'All deliveries'} matching “${url.q}” ${count === 1 ? 'is' : 'are'} deleted. This cannot be undone.`,
        confirmLabel: all ? 'Clear all' : 'Delete matching',
        run: async () => {
          try {
            const result = await api.deleteMatching(all ? '' : url.q);
            toast.show(`Deleted ${countOf(result.deleted, 'delivery', 'deliveries')}`);
            open(null);
            feed.reload();
          } catch (err) {
            toast.show(`Delete failed: ${err instanceof Error ? err.message : String(err)}`);
          }
        },
      });
    },
    [api, url.q, feed.facets, feed.health, feed.reload, open, toast.show],
  );

  useKeyboard((action, event) => {
    if (action === 'escape') {
      if (confirm) setConfirm(null);
      else if (textDialog) setTextDialog(null);
      else if (help) setHelp(false);
      else if (drawerOpen) setDrawerOpen(false);
      else if (isEditable(event.target)) (event.target as HTMLElement).blur();
      else if (url.id !== null) url.setOpenId(null);
      else return false;
      return;
    }
    if (confirm || textDialog || isModalOpen()) return false;
    if (action === 'help') return setHelp(!help);
    if (help) return false;
    switch (action) {
      case 'search':
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      case 'down':
      case 'up': {
        const next = moveSelection(items, selectedId, action === 'down' ? 1 : -1);
        setSelectedId(next);
        if (url.id !== null && next !== null) url.setOpenId(next);
        return;
      }
      case 'top':
      case 'bottom': {
        const target = action === 'top' ? items[0] : items[items.length - 1];
        if (target) setSelectedId(target.id);
        if (action === 'bottom') feed.loadMore();
        return;
      }
      case 'open':
        if (selectedId !== null) open(selectedId);
        return;
    }
  });

  const total = feed.facets?.total;
  const showFirstHelp = feed.loadedQuery === '' && items.length === 0 && !feed.loading;
  const showNoMatch = feed.loadedQuery !== null && feed.loadedQuery !== '' && items.length === 0 && !feed.loading;

  return (
    <div class={`app${drawerOpen ? ' app--drawer-open' : ''}`}>
      <HeaderBar
        api={api}
        health={feed.health}
        status={feed.status}
        offline={feed.error !== null}
        paused={feed.paused}
        pendingCount={feed.pendingCount}
        search={<SearchBar q={url.q} inputRef={searchRef} onApply={url.setQuery} facets={feed.facets} />}
        tools={
          <HeaderTools
            forwarding={forwarding.state}
            checkRunning={checks.selected?.state === 'running'}
            onSend={() => setPanel({ kind: 'send' })}
            onForwarding={() => setPanel({ kind: 'forwarding' })}
            onCheck={() => setPanel({ kind: 'check' })}
            onOutputs={() => setOutputsOpen(true)}
            onCoverage={() => setCoverageOpen(true)}
          />
        }
        onTogglePause={() => feed.setPaused(!feed.paused)}
        onCopy={(t, w) => void copy(t, w)}
        onHelp={() => setHelp(true)}
        onHealthChange={feed.reload}
      />
      <div class="panes">
        <FacetPanel facets={feed.facets} q={url.q} onToggle={onToggleFacet} reference={eventTypes} onCloseDrawer={() => setDrawerOpen(false)} />
        {drawerOpen ? <div class="drawer-backdrop" onClick={() => setDrawerOpen(false)} aria-hidden="true" /> : null}
        <main class="middle">
          <ActivityChart histogram={feed.histogram} onBrush={(from, to) => url.setQuery(withTimeRange(url.q, from, to))} />
          <ListToolbar
            q={url.q}
            total={total}
            stored={feed.health?.deliveries}
            loading={feed.loading && feed.loadedQuery !== null}
            job={bulk.job}
            onOpenJob={() => setPanel({ kind: 'bulk' })}
            onDismissJob={bulk.dismiss}
            onBulkReplay={() => setPanel({ kind: 'bulk' })}
            onDeleteMatching={() => deleteMatching(false)}
            onClearAll={() => deleteMatching(true)}
            onFilters={() => setDrawerOpen(true)}
            exportUrl={api.exportUrl}
          />
          {feed.error ? <p class="notice notice--error list-error">{feed.error}</p> : null}
          {showFirstHelp ? (
            <FirstDeliveryHelp health={feed.health} onCopy={(t, w) => void copy(t, w)} />
          ) : showNoMatch ? (
            <NoMatches q={feed.loadedQuery ?? ''} onClear={() => url.setQuery('')} />
          ) : (
            <DeliveryList
              items={items}
              hasMore={feed.list.next !== null}
              loadingMore={feed.loadingMore}
              selectedId={selectedId}
              openId={url.id}
              resetKey={feed.loadedQuery}
              query={feed.loading ? null : feed.loadedQuery}
              onOpen={open}
              onLoadMore={feed.loadMore}
              onFirstVisible={feed.noteFirstVisible}
            />
          )}
          <ListSplitter />
        </main>
        <DetailPane
          detail={detail.detail}
          loading={detail.loading}
          error={detail.error}
          openId={url.id}
          rawUrl={api.rawUrl}
          onClose={() => url.setOpenId(null)}
          onOpen={open}
          onCopyCurl={(id) => void copyCurl(id)}
          loadSiem={api.siem}
          onCopy={(text, what) => void copy(text, what)}
          onDelete={deleteOne}
          onReplay={(id, edit) => detail.detail?.id === id && setPanel({ kind: 'replay', detail: detail.detail, edit })}
          siem={{ api, live: liveOutputs }}
          reference={eventTypes}
        />
      </div>
      <SenderPanels
        panel={panel}
        api={api}
        health={feed.health}
        q={url.q}
        total={total}
        recent={recent}
        bulk={bulk}
        sendJob={sendJob}
        checks={checks}
        forwarding={forwarding}
        onOpenDelivery={open}
        onShowQuery={(q) => {
          setPanel(null);
          url.setQuery(q);
        }}
        onClose={() => setPanel(null)}
      />
      {outputsOpen ? (
        <OutputsDialog
          api={api}
          sinks={feed.health?.sinks ?? null}
          liveToken={outputsToken}
          onOpenDelivery={(id) => {
            setOutputsOpen(false);
            open(id);
          }}
          onClose={() => setOutputsOpen(false)}
        />
      ) : null}
      {coverageOpen ? (
        <CoverageDialog
          api={api}
          onFilter={(q) => {
            setCoverageOpen(false);
            url.setQuery(q);
          }}
          onClose={() => setCoverageOpen(false)}
        />
      ) : null}
      {help ? <KeysHelp onClose={() => setHelp(false)} /> : null}
      {confirm ? <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} /> : null}
      {textDialog ? <TextDialog title={textDialog.title} text={textDialog.text} onClose={() => setTextDialog(null)} /> : null}
      {toast.text ? (
        <div class="toast" role="status">
          {toast.text}
        </div>
      ) : null}
    </div>
  );
}
