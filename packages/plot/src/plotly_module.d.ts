// plotly.js's cartesian bundle as a module (CommonJS; bundlers hand it over as the default export).
declare module "plotly.js-cartesian-dist-min" {
  const Plotly: import("./plotly.js").PlotlyModule;
  export default Plotly;
}
