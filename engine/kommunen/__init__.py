"""Die Kommunen: das Profil einer Kommune (``profil``) und die mitgelieferten Daten aller Gemeinden und Kreise
(``daten``). Kennt keine Regeln."""
