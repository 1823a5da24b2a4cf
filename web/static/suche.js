// Vorschläge beim Tippen (die Seite funktioniert auch ohne dieses Skript: die Suche zeigt dann eine Trefferliste).
(function () {
  "use strict";
  var feld = document.getElementById("q");
  var liste = document.getElementById("vorschlaege");
  if (!feld || !liste || !window.fetch) { return; }
  var zeitgeber = null;
  var letzte = "";
  feld.addEventListener("input", function () {
    var text = feld.value.trim();
    if (zeitgeber) { clearTimeout(zeitgeber); }
    if (text.length < 2 || text === letzte || /\(\d{5,8}\)$/.test(text)) { return; }
    zeitgeber = setTimeout(function () {
      letzte = text;
      fetch("/api/v1/kommunen?anzahl=10&suche=" + encodeURIComponent(text))
        .then(function (antwort) { return antwort.ok ? antwort.json() : { treffer: [] }; })
        .then(function (daten) {
          while (liste.firstChild) { liste.removeChild(liste.firstChild); }
          daten.treffer.forEach(function (t) {
            var option = document.createElement("option");
            option.value = t.anzeigename + " (" + t.ags + ")";
            option.textContent = t.beschreibung;
            option.label = t.beschreibung;
            liste.appendChild(option);
          });
        })
        .catch(function () { /* ohne Vorschläge weiter: das Formular funktioniert trotzdem */ });
    }, 150);
  });
}());
