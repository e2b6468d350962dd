import { AuditRecordEntity } from '@cairn/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';

/** How many records GET /applications/{name}/audit returns: the newest. */
export const AUDIT_SHOWN = 200;

export interface AuditEntry {
  actor: string;
  action: string;
  app: string | null;
  outcome: number;
  message: string | null;
}

export interface AuditRecordView extends Omit<AuditEntry, 'app' | 'message'> {
  id: number;
  at: string;
  app?: string;
  message?: string;
}

/** Who did what to which application, when, and how it ended. */
@Injectable()
export class AuditTrail {
  private readonly logger = new Logger(AuditTrail.name);

  constructor(
    @InjectRepository(AuditRecordEntity) private readonly rows: Repository<AuditRecordEntity>,
  ) {}

  /** Never fails the call it records: a lost audit record is logged instead. */
  async record(entry: AuditEntry): Promise<void> {
    try {
      await this.rows.insert(entry);
    } catch (error) {
      this.logger.error({ msg: 'audit record not stored', ...entry, err: error });
    }
  }

  /** Oldest first, as a log reads. */
  async of(app: string): Promise<AuditRecordView[]> {
    const rows = await this.rows.find({ where: { app }, order: { id: 'DESC' }, take: AUDIT_SHOWN });
    return rows.reverse().map((row) => ({
      id: Number(row.id),
      at: row.at.toISOString(),
      actor: row.actor,
      action: row.action,
      ...(row.app !== null && { app: row.app }),
      outcome: row.outcome,
      ...(row.message !== null && { message: row.message }),
    }));
  }
}
