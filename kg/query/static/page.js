// The kg serve query page: YASGUI on this endpoint, with the named queries as examples.
(function () {
  "use strict";
  var endpoint = location.origin + "/sparql";
  var examples = JSON.parse(document.getElementById("kg-examples-data").textContent);
  // Only the completers that work offline: "class" and "property" ask a server on the web.
  Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { value: examples.length ? examples[0].query : "SELECT * WHERE { ?s ?p ?o } LIMIT 10" },
  });
  var select = document.getElementById("kg-examples");
  examples.forEach(function (example, i) {
    var option = document.createElement("option");
    option.value = String(i);
    option.textContent = example.name + " — " + example.description;
    select.appendChild(option);
  });
  select.addEventListener("change", function () {
    var example = examples[Number(select.value)];
    if (!example) return;
    // a tab of its own, so a query being edited is never overwritten
    var tab = yasgui.addTab(true, { name: example.name });
    tab.setEndpoint(endpoint);
    tab.setQuery(example.query);
    select.value = "";
  });
  window.kgYasgui = yasgui;
})();
