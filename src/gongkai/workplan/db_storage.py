"""Work plans kept in the database (the web app's store), in the same JSON form as ``JsonWorkPlanRepository``:
one plan per agency and year, so several offices can track theirs on one server."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Engine, insert, select, update

from ..store.web_tables import StoredWorkPlan
from .errors import PlanStorageError
from .model import WorkPlan
from .storage import plan_from_dict, plan_to_dict

W = StoredWorkPlan.__table__


class DbWorkPlanRepository:
    """``WorkPlanRepository`` over ``web_workplans`` for one agency and plan year."""

    def __init__(self, engine: Engine, agency: str, year: int, actor: str = "web") -> None:
        self.engine, self.agency, self.year, self.actor = engine, agency, year, actor

    def exists(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(W.c.id).where(W.c.agency == self.agency, W.c.year == self.year)).first() \
                is not None

    def load(self) -> WorkPlan:
        with self.engine.connect() as conn:
            row = conn.execute(select(W.c.data).where(W.c.agency == self.agency, W.c.year == self.year)).first()
        if row is None:
            raise PlanStorageError(f"{self.agency}没有{self.year}年的工作要点")
        return plan_from_dict(row.data, f"{self.agency} {self.year}")

    def save(self, plan: WorkPlan) -> None:
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        values = dict(title=plan.title, data=plan_to_dict(plan), updated_at=now, updated_by=self.actor)
        with self.engine.begin() as conn:
            done = conn.execute(update(W).where(W.c.agency == self.agency, W.c.year == self.year).values(**values))
            if not done.rowcount:
                conn.execute(insert(W).values(agency=self.agency, year=self.year, **values))


def plans_of(engine: Engine, agency: str) -> list[tuple[int, str]]:
    """The (year, title) of every plan an agency tracks, newest first."""
    with engine.connect() as conn:
        return [(r.year, r.title) for r in conn.execute(select(W.c.year, W.c.title).where(W.c.agency == agency)
                                                        .order_by(W.c.year.desc()))]
