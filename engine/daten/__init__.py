"""Mitgelieferte Kommunaldaten (Destatis, Zensus 2022); Lizenz dl-de/by-2-0."""
