// The query page: Yasgui against this server's /sparql, one tab per canned query (the tabs and
// their questions are written into the page by the server, see serve/page.py).
(function () {
  "use strict";
  const tabs = JSON.parse(document.getElementById("wpsgraph-tabs").textContent);
  const questions = new Map(tabs.map((tab) => [tab.name, tab.question]));
  const endpoint = new URL("/sparql", window.location.href).toString();
  const Yasgui = window.Yasgui.default || window.Yasgui;
  const requestConfig = { endpoint: endpoint, method: "POST" };

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: requestConfig,
    copyEndpointOnNewTab: true,
    // The canned queries are the tabs every time: nothing is kept between visits.
    persistenceId: null,
    autoAddOnInit: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    // No autocompletion that asks a server elsewhere (property and class names come from LOV).
    yasqe: { autocompleters: ["prefixes", "variables"] },
  });

  // The first tab is added active: Yasgui selects a tab only when another one is selected.
  tabs.forEach((tab, index) => {
    yasgui.addTab(index === 0, {
      name: tab.name,
      yasqe: { value: tab.query },
      requestConfig: requestConfig,
    });
  });

  function showQuestion() {
    const tab = yasgui.getTab();
    const question = tab ? questions.get(tab.getName()) : undefined;
    document.getElementById("question").textContent = question || "";
  }

  yasgui.on("tabSelect", () => window.setTimeout(showQuestion, 0));
  showQuestion();
})();
