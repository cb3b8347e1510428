// Entry point: mount the inspector.
import { render } from 'preact';
import { App } from './app.tsx';
import './styles/base.css';
import './styles/header.css';
import './styles/panes.css';
import './styles/detail.css';
import './styles/overlays.css';
import './styles/forms.css';
import './styles/tools.css';
import './styles/controls.css';
import './styles/dark.css';

render(<App />, document.getElementById('app')!);
