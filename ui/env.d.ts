// Vite's client types: lets the entry import styles.css.
/// <reference types="vite/client" />
