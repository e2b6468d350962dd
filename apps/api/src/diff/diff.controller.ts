import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type ApplicationDiff, DiffService } from './diff.service';

@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications')
export class DiffController {
  constructor(private readonly diffs: DiffService) {}

  /**
   * How each declared object differs from the live one, in the fields the app declares
   * only (server-side apply semantics): `{resources: [{group, kind, namespace, name,
   * diff: [{path, live, desired}]}]}`; null stands for absent. Secret values are masked.
   */
  @Get(':name/diff')
  diff(@Param('name') name: string): Promise<ApplicationDiff> {
    return this.diffs.diff(name);
  }
}
