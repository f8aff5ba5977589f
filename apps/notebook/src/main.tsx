// Notebook page entry: starts the kernel worker (first, so the engine loads while React renders)
// and mounts the React app.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { notebookApp } from "./notebook_app.js";
import "./styles.css";

notebookApp().session.start();

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
